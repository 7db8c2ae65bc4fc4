# Generates numpy_sum.json.gz: numpy.sum/mean/std of random float64 arrays.
# Run: ~/venvs/yakecore/bin/python gen_numpy.py | gzip -9n > numpy_sum.json.gz  (numpy==2.4.6)
import numpy as np, random, json
random.seed(7)
cases=[]
for t in range(300):
    n=random.choice([1,2,3,7,8,9,15,16,17,100,127,128,129,130,255,256,257,1000,1025,5000])
    a=[float(random.randint(1,60)) if random.random()<0.8 else random.random()*10 for _ in range(n)]
    x=np.array(a)
    cases.append({"a":a,"sum":float(np.sum(x)),"mean":float(np.mean(x)),"std":float(np.std(x))})
print(json.dumps({"provenance":"numpy %s, yake/internal/pymath/testdata/gen_numpy.py"%np.__version__,"cases":cases}))
