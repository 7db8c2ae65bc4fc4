package hub

// AllMiniLML6V2 is sentence-transformers/all-MiniLM-L6-v2, the model jobmatch
// embeds with, pinned to a commit of its main branch. The SHA-256 sums and
// sizes are those of the files the project tests against
// (./scripts/fetch-model; TestAllMiniLML6V2 checks them), so a download
// from the Hub or any mirror yields exactly those bytes, and a server that
// sends more is cut off at the pinned size.
//
// The files are the ones sentence-transformers loads with the safetensors
// weights; the PyTorch, ONNX and OpenVINO copies of the weights are left out.
var AllMiniLML6V2 = Model{
	Repo: "sentence-transformers/all-MiniLM-L6-v2",
	// The commit that main pointed to in the huggingface_hub caches of
	// late 2024 and 2025. Override it (examples/fetchmodel -revision) if
	// the Hub answers that it does not exist.
	Revision: "c9745ed1d9f207416be6d2e6f8de32d1f16199bf",
	Files: []File{
		{"config.json", "953f9c0d463486b10a6871cc2fd59f223b2c70184f49815e7efbcab5d8908b41", 612},
		{"config_sentence_transformers.json", "061ca9d39661d6c6d6de5ba27f79a1cd5770ea247f8d46412a68a498dc5ac9f3", 116},
		{"modules.json", "84e40c8e006c9b1d6c122e02cba9b02458120b5fb0c87b746c41e0207cf642cf", 349},
		{"sentence_bert_config.json", "fc1993fde0a95c24ec6c022539d41cf6e2f7c9721e5415d6fb6897472a9cd4b7", 53},
		{"1_Pooling/config.json", "4be450dde3b0273bb9787637cfbd28fe04a7ba6ab9d36ac48e92b11e350ffc23", 190},
		{"special_tokens_map.json", "303df45a03609e4ead04bc3dc1536d0ab19b5358db685b6f3da123d05ec200e3", 112},
		{"tokenizer_config.json", "acb92769e8195aabd29b7b2137a9e6d6e25c476a4f15aa4355c233426c61576b", 350},
		{"tokenizer.json", "be50c3628f2bf5bb5e3a7f17b1f74611b2561a3a27eeab05e5aa30f411572037", 466247},
		{"vocab.txt", "07eced375cec144d27c900241f3e339478dec958f92fddbc551f295c992038a3", 231508},
		{"model.safetensors", "53aa51172d142c89d9012cce15ae4d6cc0ca6895895114379cacb4fab128d9db", 90868376},
	},
}
