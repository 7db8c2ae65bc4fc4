"""Float simulation of sbert's int8 path (WithInt8), used to choose its design.

Each linear layer of all-MiniLM-L6-v2 in sentence-transformers is replaced by
one that rounds its weights and inputs as the Go kernels do, and the worst and
mean cosine to the float32 embeddings of the golden texts is printed. Every
argument is one configuration of space-separated key=value pairs:

  all=W:A[:s]   weights in groups of W along k, inputs in groups of A (N: the
                whole row, 0: not rounded; s: symmetric inputs); a layer kind
                (qkv, query, key, value, ao, up, down) or L<i><kind> overrides
  rot=B         rotate both by a block Walsh-Hadamard transform of order B
                (-1: a random orthogonal matrix); nod=1 without random signs
  sbc=1         row biases for [CLS] and [SEP] from calibration texts
                (cal=go: those of sbert/quantize.go; big, small, docs, words)
  clip=1        weight scales that minimise the squared rounding error
  special=1..4  [CLS]/[SEP] rows computed otherwise (see the code), spk=kinds

Go's design is "all=128:N rot=128 nod=1 sbc=1 cal=go":

  JOBMATCH_MODEL_DIR=$(./scripts/fetch-model) ~/venvs/st/bin/python \
      scripts/bench/int8_sim.py "all=N:N" "all=N:N rot=128 nod=1" \
      "all=128:N rot=128 nod=1" "all=128:N rot=128 nod=1 sbc=1 cal=go"
"""
import gzip, json, os, re, sys, torch, numpy as np
from sentence_transformers import SentenceTransformer
torch.set_num_threads(2)
ROOT = os.path.join(os.path.dirname(os.path.abspath(__file__)), '..', '..')
g = json.load(gzip.open(os.path.join(ROOT, 'sbert/testdata/golden-minilm.json.gz')))
texts = g['texts']
model = SentenceTransformer(os.environ['JOBMATCH_MODEL_DIR'], device='cpu')
ref = model.encode(texts, batch_size=64, convert_to_numpy=True, normalize_embeddings=True)

CLIP = 0
CLSONLY = 0
NOD = 0
MASK = [None]
SPECIAL = 0
SPK = ''
def qw(W, G):  # W out x in
    if G == 0: return W
    o, k = W.shape
    if G is None: G = k
    Wg = W.reshape(o, k // G, G)
    s = Wg.abs().amax(-1, keepdim=True) / 127
    s[s == 0] = 1
    if CLIP:
        best = torch.full_like(s, float('inf')); bs = s.clone()
        for a in torch.linspace(0.5, 1.0, 51):
            sa = s * a
            e = ((torch.clamp(torch.round(Wg / sa), -127, 127) * sa - Wg) ** 2).sum(-1, keepdim=True)
            bs = torch.where(e < best, sa, bs); best = torch.minimum(e, best)
        s = bs
    return (torch.clamp(torch.round(Wg / s), -127, 127) * s).reshape(o, k)

def qa(x, G, sym):
    sh = x.shape; k = sh[-1]
    if G is None: G = k
    xg = x.reshape(*sh[:-1], k // G, G)
    if sym:
        s = xg.abs().amax(-1, keepdim=True) / 127
        s[s == 0] = 1
        return (torch.clamp(torch.round(xg / s), -127, 127) * s).reshape(sh)
    lo = torch.clamp(xg.amin(-1, keepdim=True), max=0); hi = torch.clamp(xg.amax(-1, keepdim=True), min=0)
    s = (hi - lo) / 255; s[s == 0] = 1
    z = torch.round(-lo / s)
    q = torch.clamp(torch.round(xg / s) + z, 0, 255)
    return ((q - z) * s).reshape(sh)

def hada(n):
    H = torch.ones(1, 1)
    while H.shape[0] < n:
        H = torch.cat([torch.cat([H, H], 1), torch.cat([H, -H], 1)], 0)
    return H / H.shape[0] ** 0.5
ROT = 0
gen = torch.Generator().manual_seed(1)
def rotm(k):
    if ROT == 0: return None
    if ROT == -1:
        q, _ = torch.linalg.qr(torch.randn(k, k, generator=gen)); return q
    H = hada(ROT); D = torch.where(torch.rand(k, generator=gen) < .5, -1., 1.)
    if NOD: D = torch.ones(k)
    return torch.diag(D) @ torch.block_diag(*[H] * (k // ROT))
def spmasks():
    am = MASK[0]
    cls = torch.zeros_like(am, dtype=torch.bool); cls[:, 0] = True
    sep = torch.zeros_like(am, dtype=torch.bool); sep[torch.arange(am.shape[0]), am.sum(1) - 1] = True
    return cls, sep
SBC = 0
class QL(torch.nn.Module):
    def __init__(self, lin, wg, ag, sym):
        super().__init__()
        W = lin.weight.data.clone()
        self.R = rotm(W.shape[1])
        if self.R is not None: W = W @ self.R
        self.W = qw(W, wg); self.b = lin.bias.data.clone(); self.ag = ag; self.sym = sym
        self.W0 = W; self.cal = None
    def forward(self, x):
        if self.R is not None: x = x @ self.R
        if self.cal is not None:
            xs = x.reshape(-1, x.shape[-1]); self.cal[0] += xs.sum(0); self.cal[1] += xs.shape[0]
            cls, sep = spmasks()
            self.cal[2] += x[cls].sum(0); self.cal[3] += x[sep].sum(0); self.cal[4] += cls.sum()
            return torch.nn.functional.linear(x, self.W0, self.b)
        y = torch.nn.functional.linear(qa(x, self.ag, self.sym) if self.ag != 0 else x, self.W, self.b)
        if SBC:
            cls, sep = spmasks()
            y[cls] += self.ccls; y[sep] += self.csep
        if SPECIAL and MASK is not None and (SPK == '' or self.name in SPK.split('+') or f'L{self.li}' in SPK.split('+')):
            am = MASK[0]
            sp = torch.zeros_like(am, dtype=torch.bool); sp[:, 0] = True
            last = am.sum(1) - 1; sp[torch.arange(am.shape[0]), last] = True
            if SPECIAL == 1: y[sp] = torch.nn.functional.linear(x[sp], self.W0, self.b)
            if SPECIAL == 2: y[sp] = torch.nn.functional.linear(x[sp], self.W, self.b)
            if SPECIAL == 4:
                cls, sep = spmasks()
                y[cls] = torch.nn.functional.linear(x[cls], self.W, self.b) + self.ccls
                if not CLSONLY: y[sep] = torch.nn.functional.linear(x[sep], self.W, self.b) + self.csep
            if SPECIAL == 3: y[sp] = torch.nn.functional.linear(qa(x[sp], self.ag, self.sym), self.W0, self.b)
        return y

import copy, csv
csv.field_size_limit(10**9)
CAL = [r['Job Description'][:2000] for r in csv.DictReader(open(os.path.join(ROOT, '..', 'shared/eval/jobs_dev.csv')))][:64]
CAL += [w for t in CAL[:8] for w in t.split()[:40]]
BIG = CAL
DOCS = CAL[:64]
WORDS = CAL[64:]
GOCAL = re.findall(r'^\t"(.*)",$', open(os.path.join(ROOT, 'sbert/quantize.go')).read(), re.M)
SMALL = ['The quick brown fox jumps over the lazy dog.', 'Senior software engineer with experience in Go, Kubernetes and AWS.', 'python', 'data science', 'We are looking for a product manager to lead our team.', 'machine learning engineer']
def parse(v):
    f = lambda s: None if s == 'N' else int(s)
    w, a, *r = v.split(':')
    return f(w), f(a), (r[0] == 's') if r else False
def run(spec):
    global ROT
    cfg = dict(kv.split('=') for kv in spec.split())
    ROT = int(cfg.pop('rot', '0'))
    global CLIP, BC, SPECIAL, SBC, NOD, CAL
    NOD = int(cfg.pop('nod', '0'))
    c = cfg.pop('cal', 'big')
    CAL = {'big': BIG, 'small': SMALL, 'go': GOCAL, 'docs': DOCS, 'words': WORDS, 'w40': WORDS[:40], 'gow': GOCAL + WORDS[:40]}[c]
    SBC = int(cfg.pop('sbc', '0'))
    global CLSONLY
    CLSONLY = int(cfg.pop('clsonly', '0'))
    SPECIAL = int(cfg.pop('special', '0'))
    gen.manual_seed(int(cfg.pop('seed', '1')))
    global SPK
    SPK = cfg.pop('spk', '')
    BC = int(cfg.pop('bc', '0'))
    CLIP = int(cfg.pop('clip', '0'))
    m = copy.deepcopy(model)
    def pre(mod, args, kwargs):
        MASK[0] = kwargs['attention_mask'] if 'attention_mask' in kwargs else args[1]
    m[0].auto_model.register_forward_pre_hook(pre, with_kwargs=True)
    enc = m[0].auto_model.encoder
    for li, L in enumerate(enc.layer):
        for parent, name, kind in [(L.attention.self, 'query', 'qkv'), (L.attention.self, 'key', 'qkv'), (L.attention.self, 'value', 'qkv'),
                             (L.attention.output, 'dense', 'ao'), (L.intermediate, 'dense', 'up'), (L.output, 'dense', 'down')]:
            c = cfg.get(f'L{li}{name if kind=="qkv" else kind}', cfg.get(f'L{li}{kind}', cfg.get(f'L{li}', cfg.get(name if kind=='qkv' else kind, cfg.get(kind, cfg.get('all', '0:0'))))))
            wg, ag, sym = parse(c)
            ql = QL(getattr(parent, name), wg, ag, sym); ql.name = name if kind == 'qkv' else kind; ql.li = li
            setattr(parent, name, ql)
    if BC or SBC:
        qls = [mod for mod in m.modules() if isinstance(mod, QL)]
        for q in qls: q.cal = [0, 0, 0, 0, 0]
        with torch.no_grad(): m.encode(CAL, batch_size=64)
        for q in qls:
            mu = q.cal[0] / q.cal[1]
            if BC: q.b = q.b + (q.W0 - q.W) @ mu
            q.ccls = (q.W0 - q.W) @ (q.cal[2] / q.cal[4]); q.csep = (q.W0 - q.W) @ (q.cal[3] / q.cal[4])
            q.cal = None
    e = m.encode(texts, batch_size=64, convert_to_numpy=True, normalize_embeddings=True)
    c = (e * ref).sum(1)
    print('  below .999:', (c < .999).sum(), [texts[j][:15] for j in np.argsort(c)[:5]])
    i = c.argmin()
    print(f"{spec}: worst {c.min():.5f} mean {c.mean():.6f} worst text {texts[i][:30]!r}", flush=True)

for spec in sys.argv[1:]:
    run(spec)
