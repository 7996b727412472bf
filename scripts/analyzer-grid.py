#!/usr/bin/env python3
"""Measure meshctl against Istio's analyzer test grid (a development instrument).

usage: analyzer-grid.py ISTIO_SRC INPUTS_DIR [--meshctl PATH] [--verbose] [--json OUT]
                        [--case TEXT] [--extra=ARG ...]

ISTIO_SRC: an Istio source tree; pkg/config/analysis/analyzers/analyzers_test.go (the grid) and
pkg/config/analysis/msg/messages.yaml (message names to codes) are read from it. INPUTS_DIR: the
folder the grid's `testdata/` paths name (Istio's analyzer test inputs).

For each case it runs `meshctl analyze -o json --use-kube=false --analyzer NAME` (Istio's name of
the case's analyzer; when meshctl lacks it, every analyzer, filtered by the codes the Istio analyzer
reports) with the case's mesh config or mesh networks file as --mesh-config, and compares the
(code, resource) multiset with the case's expected messages, as Istio's test does. `--extra=ARG`
passes ARG on (e.g. `--extra=--complete`).
"""
import argparse, json, os, re, subprocess, sys
from collections import Counter

# The grid names analyzers by Go expression; Istio's Metadata().Name is what istioctl prints.
ISTIO_NAME = {
    'annotations.K8sAnalyzer': 'annotations.K8sAnalyzer',
    'maturity.AlphaAnalyzer': 'annotations.AlphaAnalyzer',
    'deprecation.FieldAnalyzer': 'deprecation.DeprecationAnalyzer',
    'externalcontrolplane.ExternalControlPlaneAnalyzer': 'externalcontrolplane.ExternalControlPlaneAnalyzer',
    'authz.AuthorizationPoliciesAnalyzer': 'auth.AuthorizationPoliciesAnalyzer',
    'deployment.ServiceAssociationAnalyzer': 'deployment.MultiServiceAnalyzer',
    'deployment.ApplicationUIDAnalyzer': 'applicationUID.Analyzer',
    'destinationrule.PodNotSelectedAnalyzer': 'destinationrule.SubsetSelectPodAnalyzer',
    'multicluster.MeshNetworksAnalyzer': 'meshnetworks.MeshNetworksAnalyzer',
    'serviceentry.ProtocolAddressesAnalyzer': 'serviceentry.Analyzer',
    'schemaValidation.CollectionValidationAnalyzer': 'schema.ValidationAnalyzer',
}
# Codes an Istio analyzer can report (for a meshctl that lacks the analyzer: run all, filter).
CODES = {
    'annotations.AlphaAnalyzer': ['IST0136'],
    'deprecation.DeprecationAnalyzer': ['IST0002'],
    'externalcontrolplane.ExternalControlPlaneAnalyzer': ['IST0163', 'IST0164'],
    'injection.ImageAnalyzer': ['IST0105', 'IST0158'],
    'injection.ImageAutoAnalyzer': ['IST0146', 'IST0147'],
    'envoyfilter.EnvoyPatchAnalyzer': ['IST0151', 'IST0152', 'IST0153', 'IST0154', 'IST0155'],
    'webhook.Analyzer': ['IST0139'],
    'meshnetworks.MeshNetworksAnalyzer': ['IST0126'],
    'authn.BlockedCIDRsAnalyzer': ['IST0175'],
    'conditions.ConditionAnalyzer': ['IST0171'],
    'k8sgateway.SelectorAnalyzer': ['IST0166'],
    'k8sgateway.CRDVersionAnalyzer': ['IST0176'],
    'telemetry.DefaultSelectorAnalyzer': ['IST0160'],
    'telemetry.LightstepAnalyzer': ['IST0002'],
}


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument('istio')
    ap.add_argument('inputs')
    ap.add_argument('--meshctl', default='meshctl')
    ap.add_argument('--verbose', '-v', action='store_true')
    ap.add_argument('--json')
    ap.add_argument('--case', help='only cases whose name contains this')
    ap.add_argument('--extra', action='append', default=[], help='extra meshctl argument')
    a = ap.parse_args()
    test = open(os.path.join(a.istio, 'pkg/config/analysis/analyzers/analyzers_test.go')).read()
    msgs = open(os.path.join(a.istio, 'pkg/config/analysis/msg/messages.yaml')).read()
    code_of = dict(re.findall(r'name:\s*"(\w+)"\s*\n\s*code:\s*(IST\d+)', msgs))
    cases = parse_grid(test)
    listing = subprocess.run([a.meshctl, 'analyze', '--list'], capture_output=True, text=True).stdout
    have = set(re.findall(r'^  (\S+)  \[', listing, re.M))
    agree = found = total = 0
    report = []
    for c in cases:
        if a.case and a.case not in c['name']:
            continue
        name = ISTIO_NAME.get(c['analyzer'], c['analyzer'])
        cmd = [a.meshctl, 'analyze', '-o', 'json', '--use-kube=false'] + a.extra
        filt = None
        if name in have:
            cmd += ['--analyzer', name]
        elif c['analyzer'] in have:
            cmd += ['--analyzer', c['analyzer']]
        else:
            filt = set(CODES.get(name, []))
        for k, opt in (('meshConfigFile', '--mesh-config'), ('meshNetworksFile', '--mesh-config')):
            if c[k]:
                cmd += [opt, os.path.join(a.inputs, c[k][len('testdata/'):])]
        cmd += [os.path.join(a.inputs, f[len('testdata/'):]) for f in c['inputFiles']]
        r = subprocess.run(cmd, capture_output=True, text=True)
        try:
            out = json.loads(r.stdout)
        except ValueError:
            out = {'diagnostics': []}
            print(f'!! {c["name"]}: {r.stderr.strip()[:300]}', file=sys.stderr)
        got = []
        for d in out.get('diagnostics', []):
            if not d['code'].startswith('IST'):
                continue
            if filt is not None and d['code'] not in filt:
                continue
            res = d.get('resource') or {}
            ns = res.get('namespace')
            got.append((d['code'], res.get('kind', ''), ns, res.get('name', '')))
        exp = [(code_of.get(m, m), r) for m, r in c['expected']]
        ok, nfound, missing, extra = compare(exp, got)
        agree += ok
        found += nfound
        total += len(exp)
        report.append({'name': c['name'], 'analyzer': name, 'agree': bool(ok),
                       'missing': missing, 'extra': extra, 'cmd': cmd})
        if a.verbose or not ok:
            print(('OK   ' if ok else 'DIFF ') + f'{c["name"]} [{name}]')
            if not ok:
                for m in missing:
                    print('    missing', *m)
                for e in extra:
                    print('    extra  ', *e)
    print(f'cases agreeing: {agree}/{len(report)}; expected messages found: {found}/{total}')
    if a.json:
        json.dump(report, open(a.json, 'w'), indent=1)


def parse_grid(src):
    grid = src[src.index('var testGrid = []testCase{'):]
    grid = grid[:grid.index('\n}\n')]
    cases, depth, start = [], 0, None
    for i, ch in enumerate(grid):
        if ch == '{':
            depth += 1
            if depth == 2:
                start = i
        elif ch == '}':
            if depth == 2:
                body = grid[start:i + 1]
                c = {}
                m = re.search(r'name:\s*"([^"]*)"', body)
                c['name'] = m.group(1) if m else None
                m = re.search(r'inputFiles:\s*\[\]string\{([^}]*)\}', body, re.S)
                c['inputFiles'] = re.findall(r'"([^"]+)"', m.group(1)) if m else []
                for k in ('meshConfigFile', 'meshNetworksFile'):
                    m = re.search(k + r':\s*"([^"]*)"', body)
                    c[k] = m.group(1) if m else None
                m = re.search(r'analyzer:\s*&?([\w.]+)', body)
                c['analyzer'] = m.group(1) if m else None
                c['expected'] = re.findall(r'\{msg\.(\w+),\s*"([^"]*)"\}', body)
                cases.append(c)
            depth -= 1
    return cases


def key_of(kind, ns, name):
    return f'{kind} {ns}/{name}' if ns else f'{kind} {name}'


def compare(exp, got):
    """Multiset match. Istio names namespace-less input objects without a namespace; meshctl
    places them in `default`, so an expected `Kind name` also matches `Kind default/name`."""
    left = Counter(exp)
    extra = []
    nfound = 0
    for code, kind, ns, name in got:
        for cand in (key_of(kind, ns, name), key_of(kind, None, name) if ns == 'default' else None):
            if cand and left[(code, cand)] > 0:
                left[(code, cand)] -= 1
                nfound += 1
                break
        else:
            extra.append((code, key_of(kind, ns, name)))
    missing = [k for k, n in left.items() for _ in range(n)]
    return (not missing and not extra), nfound, missing, extra


if __name__ == '__main__':
    main()
