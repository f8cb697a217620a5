"""Reference cells of the Annex A sample workbooks, read by pandas + openpyxl, for test/data/formats.test.ts.
Run from the repo root: /usr/bin/python3 test/golden/annex-a-xlsx.py"""
import json, math, os
import pandas as pd, openpyxl
out = {"pandas": pd.__version__, "openpyxl": openpyxl.__version__, "files": {}}
for f in ["Annex_A_2024_Jan.xlsx", "liia_Annex_A.xlsx"]:
    book = pd.read_excel(os.path.join("..", "shared", "data", "annex-a", f), sheet_name=None)
    sheets = {}
    for name, df in book.items():
        cols = {}
        for c in df.columns:
            vals = []
            for v in df[c].tolist():
                if v is None or (isinstance(v, float) and math.isnan(v)) or v is pd.NaT: vals.append(None)
                elif isinstance(v, pd.Timestamp): vals.append(v.strftime("%Y-%m-%d") if v == v.normalize() else v.strftime("%Y-%m-%d %H:%M:%S"))
                elif isinstance(v, (int, float)) and not isinstance(v, bool): vals.append(float(v))
                else: vals.append(str(v))
            cols[str(c)] = vals
        sheets[name] = {"rows": int(df.shape[0]), "columns": cols}
    out["files"][f] = {"sheets": list(book.keys()), "data": sheets}
json.dump(out, open(os.path.join("test", "golden", "annex-a-xlsx.json"), "w"), indent=1)
