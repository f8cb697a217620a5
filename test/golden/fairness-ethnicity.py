"""Ethnicity labels councils really type, with the major group Social Finance's
Annex A schema maps each to (../shared/data/annex-a/Annex_A_schema.yml), as a flat
JSON list for test/fairness/groups.test.ts.

Run from the repository root:  /usr/bin/python3 test/golden/fairness-ethnicity.py
"""
import json
import os

import yaml

HERE = os.path.dirname(os.path.abspath(__file__))
SOURCE = os.path.join(HERE, '..', '..', '..', 'shared', 'data', 'annex-a', 'Annex_A_schema.yml')

MAJOR = {
    'a) white': 'White',
    'b) mixed': 'Mixed',
    'c) asian or asian british': 'Asian',
    'd) black or black british': 'Black',
    'e) other ethnic group': 'Other',
    'c) unknown': 'Unknown',
    'f) not stated': 'Unknown',
}


def find_ethnicity(node):
    if isinstance(node, dict):
        if 'Ethnicity' in node and isinstance(node['Ethnicity'], dict) and 'category' in node['Ethnicity']:
            return node['Ethnicity']['category']
        for v in node.values():
            found = find_ethnicity(v)
            if found is not None:
                return found
    elif isinstance(node, list):
        for v in node:
            found = find_ethnicity(v)
            if found is not None:
                return found
    return None


with open(SOURCE, encoding='utf-8') as f:
    schema = yaml.safe_load(f)

seen = {}
for cat in find_ethnicity(schema):
    group = MAJOR[str(cat['code']).strip().lower()]
    for name in cat.get('name') or []:
        label = str(name)
        # A label listed under two groups in the source is ambiguous: leave it out.
        if label in seen and seen[label] != group:
            seen[label] = None
        elif label not in seen:
            seen[label] = group

rows = [{'label': k, 'major': v} for k, v in sorted(seen.items()) if v is not None]
out = os.path.join(HERE, 'fairness-ethnicity.json')
with open(out, 'w', encoding='utf-8') as f:
    json.dump({'source': 'Annex_A_schema.yml (Social Finance liia-tools, MIT)', 'pyyaml': yaml.__version__, 'labels': rows}, f, indent=0, ensure_ascii=False)
    f.write('\n')
print(len(rows), 'labels')
