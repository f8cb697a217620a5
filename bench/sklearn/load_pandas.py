"""pandas reading the same files as the load section: seconds, MB/s, rows/s, peak memory.

    /usr/bin/python3 bench/sklearn/load_pandas.py FILE [runs]

Prints one JSON line. CSV through read_csv, Excel through read_excel (openpyxl), Parquet
through read_parquet (needs pyarrow or fastparquet; reported as unavailable when neither is
installed). Each file runs in its own process so peak memory (ru_maxrss) is its own.
"""
import json, os, resource, statistics, sys, time
import pandas as pd

path = sys.argv[1]
runs = int(sys.argv[2]) if len(sys.argv) > 2 else 1
ext = os.path.splitext(path)[1].lower()
readers = {".csv": pd.read_csv, ".xlsx": pd.read_excel, ".parquet": pd.read_parquet}
out = {"file": os.path.basename(path), "reader": None, "pandas": pd.__version__}
if ext not in readers:
    out["unavailable"] = "pandas has no reader for %s without pyarrow" % ext
    print(json.dumps(out)); sys.exit(0)
read = readers[ext]
out["reader"] = read.__name__
times = []
try:
    for _ in range(runs):
        t0 = time.perf_counter()
        df = read(path)
        times.append(time.perf_counter() - t0)
except ImportError as e:
    out["unavailable"] = str(e).split("\n")[0]
    print(json.dumps(out)); sys.exit(0)
size = os.path.getsize(path)
s = statistics.median(times)
out.update({"rows": int(len(df)), "columns": int(df.shape[1]), "bytes": size, "seconds": s, "runsSeconds": times,
            "mbPerS": size / 1e6 / s, "rowsPerS": len(df) / s,
            "peakGB": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024 / 1e9})
print(json.dumps(out))
