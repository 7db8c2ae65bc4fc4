package wordpiece

// Batch holds a batch of encoded texts padded to a common length, as
// BertTokenizerFast returns them with padding=True. IDs, Mask and TypeIDs
// are flat row-major matrices of Size rows and SeqLen columns: the id of
// token j of text i is IDs[i*SeqLen+j]. Rows shorter than SeqLen are padded
// on the right with the pad id, mask 0.
type Batch struct {
	IDs     []int32 // input_ids
	Mask    []int32 // attention_mask: 1 for tokens, 0 for padding
	TypeIDs []int32 // token_type_ids: all 0 for single texts
	Size    int     // number of texts (rows)
	SeqLen  int     // length of the longest encoding (columns)
}

// Row returns the ids and mask of text i, padding included.
func (b *Batch) Row(i int) (ids, mask []int32) {
	lo, hi := i*b.SeqLen, (i+1)*b.SeqLen
	return b.IDs[lo:hi], b.Mask[lo:hi]
}

// EncodeBatch encodes texts as Encode does and pads them to the longest.
func (t *Tokenizer) EncodeBatch(texts []string) Batch {
	var b Batch
	t.EncodeBatchInto(&b, texts)
	return b
}

// EncodeBatchInto is EncodeBatch that reuses the slices of b when they are
// large enough, so that steady-state batching does not allocate.
func (t *Tokenizer) EncodeBatchInto(b *Batch, texts []string) {
	sc := t.pool.Get().(*scratch)
	ids, offs := sc.ids[:0], sc.offs[:0]
	seqLen := 0
	for _, text := range texts {
		offs = append(offs, len(ids))
		ids = t.appendEncode(ids, text, sc)
		seqLen = max(seqLen, len(ids)-offs[len(offs)-1])
	}
	offs = append(offs, len(ids))
	n := len(texts) * seqLen
	b.Size, b.SeqLen = len(texts), seqLen
	b.IDs, b.Mask, b.TypeIDs = resize(b.IDs, n), resize(b.Mask, n), resize(b.TypeIDs, n)
	for i := range texts {
		row := ids[offs[i]:offs[i+1]]
		dst, mask := b.Row(i)
		copy(dst, row)
		for j := range mask {
			if j < len(row) {
				mask[j] = 1
			} else {
				dst[j], mask[j] = t.pad, 0
			}
		}
	}
	clear(b.TypeIDs)
	sc.ids, sc.offs = ids, offs
	t.pool.Put(sc)
}

func resize(s []int32, n int) []int32 {
	if cap(s) < n {
		return make([]int32, n)
	}
	return s[:n]
}
