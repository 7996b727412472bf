
use builtin;
use str;

set edit:completion:arg-completer[meshctl] = {|@words|
    fn spaces {|n|
        builtin:repeat $n ' ' | str:join ''
    }
    fn cand {|text desc|
        edit:complex-candidate $text &display=$text' '(spaces (- 14 (wcswidth $text)))$desc
    }
    var command = 'meshctl'
    for word $words[1..-1] {
        if (str:has-prefix $word '-') {
            break
        }
        set command = $command';'$word
    }
    var completions = [
        &'meshctl'= {
            cand --color 'When to use colors: auto (a terminal, unless NO_COLOR is set), always, never'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
            cand validate 'Validate Istio and Kubernetes resources: structure, schema and Istio''s admission rules'
            cand analyze 'Analyze resources together: Istio''s analyzers (IST codes), shadowed routes, and validate''s per-object findings; on files offline, or on the live cluster (no files, or --kube; files are then overlaid)'
            cand lint 'Check resources against best-practice rules (MSH2xxx)'
            cand route-test 'Which gateway, VirtualService rule and destination a request hits, and why; or run a suite of routing test cases with coverage'
            cand diff 'Compare two config sets by resource (added, removed, changed fields), and with --traffic what the change does to routing'
            cand manifest 'Render objects from meshctl''s model without a cluster (the Istio CRDs)'
            cand precheck 'Check whether Istio can be installed in the cluster: Kubernetes version, permissions, an existing control plane, room on the nodes'
            cand install 'Install Istio into the cluster (minimal, default or demo profile) and wait until it is ready'
            cand uninstall 'Remove what meshctl installed (--purge: the Istio CRDs too)'
            cand verify 'Check an installation: every object there, unmodified and ready, webhooks wired'
            cand lsp 'Run the language server (Language Server Protocol over standard input and output): validate and analyze findings as you type, field documentation on hover, "did you mean" quick fixes. See docs/editors.md'
            cand explain 'Print the documentation of a finding code (IST0101, MSH1014, ...), as built into the binary; without a code, list every code'
            cand completions 'Print a shell completion script (bash, zsh, fish, powershell, elvish)'
            cand man 'Print the man page (roff)'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'meshctl;validate'= {
            cand -f 'A file, directory or http(s) URL to read, as with kubectl (repeatable)'
            cand --filename 'A file, directory or http(s) URL to read, as with kubectl (repeatable)'
            cand -k 'A kustomization folder: read what `kubectl kustomize DIR` (or `kustomize build DIR`) renders, as `kubectl apply -k` would (repeatable)'
            cand --kustomize 'A kustomization folder: read what `kubectl kustomize DIR` (or `kustomize build DIR`) renders, as `kubectl apply -k` would (repeatable)'
            cand -o 'Output format'
            cand --output 'Output format'
            cand --istio-version 'The Istio release the configuration is for: 1.28, 1.29, 1.30, 1.31 or 1.32 [default: 1.32, or `istioVersion` of .meshctl.yaml]. What that release does not serve is an error'
            cand -S 'Suppress findings: `CODE=Kind namespace/name` (`Kind name` for cluster-scoped kinds); `*` and `?` are wildcards; MSH1100/MSH1101 name every admission error/warning. Repeatable'
            cand --suppress 'Suppress findings: `CODE=Kind namespace/name` (`Kind name` for cluster-scoped kinds); `*` and `?` are wildcards; MSH1100/MSH1101 name every admission error/warning. Repeatable'
            cand --config 'Config file (default: the first .meshctl.yaml from the working directory upwards)'
            cand --color 'When to use colors: auto (a terminal, unless NO_COLOR is set), always, never'
            cand -R 'Read directories recursively, as kubectl''s and istioctl''s -R ask: accepted so their command lines work unchanged; meshctl always reads directories recursively'
            cand --recursive 'Read directories recursively, as kubectl''s and istioctl''s -R ask: accepted so their command lines work unchanged; meshctl always reads directories recursively'
            cand --strict 'Fail (exit 1) on warnings too'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
        }
        &'meshctl;analyze'= {
            cand -f 'A file, directory or http(s) URL to read, as with kubectl (repeatable)'
            cand --filename 'A file, directory or http(s) URL to read, as with kubectl (repeatable)'
            cand -k 'A kustomization folder: read what `kubectl kustomize DIR` (or `kustomize build DIR`) renders, as `kubectl apply -k` would (repeatable)'
            cand --kustomize 'A kustomization folder: read what `kubectl kustomize DIR` (or `kustomize build DIR`) renders, as `kubectl apply -k` would (repeatable)'
            cand -o 'Output format'
            cand --output 'Output format'
            cand --mesh-config 'Istio MeshConfig (a YAML document of MeshConfig fields, or the `istio` ConfigMap); Istio''s defaults otherwise'
            cand --config 'Config file (default: the first .meshctl.yaml from the working directory upwards)'
            cand -S 'Suppress findings: `CODE=Kind namespace/name` (`Kind name` for cluster-scoped kinds); `*` and `?` are wildcards. Repeatable'
            cand --suppress 'Suppress findings: `CODE=Kind namespace/name` (`Kind name` for cluster-scoped kinds); `*` and `?` are wildcards. Repeatable'
            cand --failure-threshold 'Exit 1 when a finding has at least this severity [default: error]'
            cand --output-threshold 'Print only findings of at least this severity [default: info]'
            cand --baseline 'Report only findings not recorded in this baseline file'
            cand --write-baseline 'Record today''s findings in FILE (then exit 0); use it later with --baseline'
            cand --istio-version 'The Istio release the configuration is for: 1.28, 1.29, 1.30, 1.31 or 1.32 [default: 1.32, or `istioVersion` of .meshctl.yaml]. What that release does not serve is an error, and analyzers it does not have do not run'
            cand --kubeconfig 'Path to the kubeconfig file (default: KUBECONFIG, then ~/.kube/config)'
            cand --context 'The kubeconfig context to use'
            cand --request-timeout 'How long to wait for each answer of the API server: 30s, 1m, 500ms'
            cand -n 'The namespace (default: the context''s namespace); namespace-less objects of files belong to it. Implies --kube, except for analyze and lint given files: there it only sets the namespace of the files'' namespace-less objects, as `kubectl apply -n` and `istioctl analyze --use-kube=false -n` do'
            cand --namespace 'The namespace (default: the context''s namespace); namespace-less objects of files belong to it. Implies --kube, except for analyze and lint given files: there it only sets the namespace of the files'' namespace-less objects, as `kubectl apply -n` and `istioctl analyze --use-kube=false -n` do'
            cand --use-kube 'As istioctl: `--use-kube=false` never contacts a cluster (the files alone are checked), `--use-kube=true` is --kube'
            cand --analyzer 'Run only this analyzer (repeatable; names as `--list` prints them)'
            cand --color 'When to use colors: auto (a terminal, unless NO_COLOR is set), always, never'
            cand -R 'Read directories recursively, as kubectl''s and istioctl''s -R ask: accepted so their command lines work unchanged; meshctl always reads directories recursively'
            cand --recursive 'Read directories recursively, as kubectl''s and istioctl''s -R ask: accepted so their command lines work unchanged; meshctl always reads directories recursively'
            cand -L 'Print the checks and codes this command runs, and exit'
            cand --list 'Print the checks and codes this command runs, and exit'
            cand --list-analyzers 'Print the checks and codes this command runs, and exit'
            cand --complete 'The input is complete: every object it refers to is in it. Without this flag an object the input says nothing about (a Service in a namespace with no Services in the input, a ServiceEntry, a DestinationRule, Istio''s own gateway Services) is assumed to exist; with it, an object not in the input does not exist'
            cand --kube 'Read the live configuration from the Kubernetes cluster of the current context; files given too are overlaid on it (files win, by resource identity). Implied by --kubeconfig, --context, -n and -A'
            cand -A 'Every namespace. Implies --kube'
            cand --all-namespaces 'Every namespace. Implies --kube'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
        }
        &'meshctl;lint'= {
            cand -f 'A file, directory or http(s) URL to read, as with kubectl (repeatable)'
            cand --filename 'A file, directory or http(s) URL to read, as with kubectl (repeatable)'
            cand -k 'A kustomization folder: read what `kubectl kustomize DIR` (or `kustomize build DIR`) renders, as `kubectl apply -k` would (repeatable)'
            cand --kustomize 'A kustomization folder: read what `kubectl kustomize DIR` (or `kustomize build DIR`) renders, as `kubectl apply -k` would (repeatable)'
            cand -o 'Output format'
            cand --output 'Output format'
            cand --mesh-config 'Istio MeshConfig (a YAML document of MeshConfig fields, or the `istio` ConfigMap); Istio''s defaults otherwise'
            cand --config 'Config file (default: the first .meshctl.yaml from the working directory upwards)'
            cand -S 'Suppress findings: `CODE=Kind namespace/name` (`Kind name` for cluster-scoped kinds); `*` and `?` are wildcards. Repeatable'
            cand --suppress 'Suppress findings: `CODE=Kind namespace/name` (`Kind name` for cluster-scoped kinds); `*` and `?` are wildcards. Repeatable'
            cand --failure-threshold 'Exit 1 when a finding has at least this severity [default: error]'
            cand --output-threshold 'Print only findings of at least this severity [default: info]'
            cand --baseline 'Report only findings not recorded in this baseline file'
            cand --write-baseline 'Record today''s findings in FILE (then exit 0); use it later with --baseline'
            cand --istio-version 'The Istio release the configuration is for: 1.28, 1.29, 1.30, 1.31 or 1.32 [default: 1.32, or `istioVersion` of .meshctl.yaml]. What that release does not serve is an error, and analyzers it does not have do not run'
            cand --kubeconfig 'Path to the kubeconfig file (default: KUBECONFIG, then ~/.kube/config)'
            cand --context 'The kubeconfig context to use'
            cand --request-timeout 'How long to wait for each answer of the API server: 30s, 1m, 500ms'
            cand -n 'The namespace (default: the context''s namespace); namespace-less objects of files belong to it. Implies --kube, except for analyze and lint given files: there it only sets the namespace of the files'' namespace-less objects, as `kubectl apply -n` and `istioctl analyze --use-kube=false -n` do'
            cand --namespace 'The namespace (default: the context''s namespace); namespace-less objects of files belong to it. Implies --kube, except for analyze and lint given files: there it only sets the namespace of the files'' namespace-less objects, as `kubectl apply -n` and `istioctl analyze --use-kube=false -n` do'
            cand --use-kube 'As istioctl: `--use-kube=false` never contacts a cluster (the files alone are checked), `--use-kube=true` is --kube'
            cand --rule 'Run only this rule (repeatable; names as `--list` prints them)'
            cand --color 'When to use colors: auto (a terminal, unless NO_COLOR is set), always, never'
            cand -R 'Read directories recursively, as kubectl''s and istioctl''s -R ask: accepted so their command lines work unchanged; meshctl always reads directories recursively'
            cand --recursive 'Read directories recursively, as kubectl''s and istioctl''s -R ask: accepted so their command lines work unchanged; meshctl always reads directories recursively'
            cand -L 'Print the checks and codes this command runs, and exit'
            cand --list 'Print the checks and codes this command runs, and exit'
            cand --list-analyzers 'Print the checks and codes this command runs, and exit'
            cand --complete 'The input is complete: every object it refers to is in it. Without this flag an object the input says nothing about (a Service in a namespace with no Services in the input, a ServiceEntry, a DestinationRule, Istio''s own gateway Services) is assumed to exist; with it, an object not in the input does not exist'
            cand --kube 'Read the live configuration from the Kubernetes cluster of the current context; files given too are overlaid on it (files win, by resource identity). Implied by --kubeconfig, --context, -n and -A'
            cand -A 'Every namespace. Implies --kube'
            cand --all-namespaces 'Every namespace. Implies --kube'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
        }
        &'meshctl;route-test'= {
            cand -f 'Istio and Kubernetes configuration: files, directories (recursively) or http(s) URLs, `-` for stdin (repeatable). With --kube, overlaid on the cluster''s configuration'
            cand --filename 'Istio and Kubernetes configuration: files, directories (recursively) or http(s) URLs, `-` for stdin (repeatable). With --kube, overlaid on the cluster''s configuration'
            cand --istio-version 'The Istio release the configuration is for: 1.28, 1.29, 1.30, 1.31 or 1.32 [default: 1.32]. Objects that release would reject are not routed'
            cand -X 'HTTP method'
            cand --request 'HTTP method'
            cand -H 'A request header, ''Name: value'' (repeatable). `Host:` sets the authority'
            cand --header 'A request header, ''Name: value'' (repeatable). `Host:` sets the authority'
            cand --sni 'TLS server name (default: the URL''s host for https and tls)'
            cand --gateway 'Evaluate at this ingress gateway workload: NAMESPACE/LABEL=VALUE[,LABEL=VALUE...] (default istio-system/istio=ingressgateway when a Gateway in the input selects it, else the first Gateway''s selector in its namespace)'
            cand --from 'Evaluate at the sidecar of this caller workload: NAMESPACE/LABEL=VALUE[,...]. A workload (or, for --gateway, a gateway) the input does not have is a warning'
            cand --tests 'Run the test cases in these files or directories (istio-config-validator files and meshctl''s native form)'
            cand --fail-under 'With --tests: fail when route coverage is below this percentage'
            cand -o 'Output format'
            cand --output 'Output format'
            cand --kubeconfig 'Path to the kubeconfig file (default: KUBECONFIG, then ~/.kube/config)'
            cand --context 'The kubeconfig context to use'
            cand --request-timeout 'How long to wait for each answer of the API server: 30s, 1m, 500ms'
            cand -n 'The namespace (default: the context''s namespace); namespace-less objects of files belong to it. Implies --kube, except for analyze and lint given files: there it only sets the namespace of the files'' namespace-less objects, as `kubectl apply -n` and `istioctl analyze --use-kube=false -n` do'
            cand --namespace 'The namespace (default: the context''s namespace); namespace-less objects of files belong to it. Implies --kube, except for analyze and lint given files: there it only sets the namespace of the files'' namespace-less objects, as `kubectl apply -n` and `istioctl analyze --use-kube=false -n` do'
            cand --use-kube 'As istioctl: `--use-kube=false` never contacts a cluster (the files alone are checked), `--use-kube=true` is --kube'
            cand --color 'When to use colors: auto (a terminal, unless NO_COLOR is set), always, never'
            cand -v 'Print every candidate route and the full trace'
            cand --explain 'Print every candidate route and the full trace'
            cand --registry-only 'Outbound traffic policy REGISTRY_ONLY: requests to unknown hosts are blocked (502) instead of passed through'
            cand --complete 'The input is complete: every object it refers to is in it. Without this flag an object the input says nothing about (a Service in a namespace with no Services in the input, a ServiceEntry, a DestinationRule, Istio''s own gateway Services) is assumed to exist; with it, an object not in the input does not exist'
            cand --kube 'Read the live configuration from the Kubernetes cluster of the current context; files given too are overlaid on it (files win, by resource identity). Implied by --kubeconfig, --context, -n and -A'
            cand -A 'Every namespace. Implies --kube'
            cand --all-namespaces 'Every namespace. Implies --kube'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
        }
        &'meshctl;diff'= {
            cand -f 'With --kube: the new configuration, a file, directory or URL (repeatable)'
            cand --filename 'With --kube: the new configuration, a file, directory or URL (repeatable)'
            cand -o 'Output format'
            cand --output 'Output format'
            cand --istio-version 'With --traffic: the Istio release the configuration is for (1.28 to 1.32) [default: 1.32]. Objects that release would reject are not routed'
            cand --ignore-field 'A field not to compare, e.g. `metadata.annotations` or `spec.http[*].timeout` (repeatable; `*` matches any key or list item)'
            cand --kubeconfig 'Path to the kubeconfig file (default: KUBECONFIG, then ~/.kube/config)'
            cand --context 'The kubeconfig context to use'
            cand --request-timeout 'How long to wait for each answer of the API server: 30s, 1m, 500ms'
            cand -n 'The namespace (default: the context''s namespace); namespace-less objects of files belong to it. Implies --kube, except for analyze and lint given files: there it only sets the namespace of the files'' namespace-less objects, as `kubectl apply -n` and `istioctl analyze --use-kube=false -n` do'
            cand --namespace 'The namespace (default: the context''s namespace); namespace-less objects of files belong to it. Implies --kube, except for analyze and lint given files: there it only sets the namespace of the files'' namespace-less objects, as `kubectl apply -n` and `istioctl analyze --use-kube=false -n` do'
            cand --use-kube 'As istioctl: `--use-kube=false` never contacts a cluster (the files alone are checked), `--use-kube=true` is --kube'
            cand --color 'When to use colors: auto (a terminal, unless NO_COLOR is set), always, never'
            cand --traffic 'Also report what the change does to traffic: probe requests derived from both configs whose routing outcome changed'
            cand --findings 'Also say which analyzer findings the change introduces and which it resolves (both sides analyzed as `meshctl analyze` would). On by default with -o markdown'
            cand --explain 'With --traffic: print the old and new routing trace of every changed request'
            cand --exit-zero 'Exit 0 even when there are differences (for reports)'
            cand --kube 'Read the live configuration from the Kubernetes cluster of the current context; files given too are overlaid on it (files win, by resource identity). Implied by --kubeconfig, --context, -n and -A'
            cand -A 'Every namespace. Implies --kube'
            cand --all-namespaces 'Every namespace. Implies --kube'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
        }
        &'meshctl;manifest'= {
            cand --color 'When to use colors: auto (a terminal, unless NO_COLOR is set), always, never'
            cand -h 'Print help'
            cand --help 'Print help'
            cand crds 'Print the CustomResourceDefinitions of the Istio kinds, generated from meshctl''s model (the same schema `validate` checks against), ready for `kubectl apply --server-side`'
            cand schemas 'Write a JSON Schema for every kind meshctl models (Istio, Kubernetes, Gateway API) and every version it serves, generated from the same model `validate` checks against, in the layout kubeconform and yaml-language-server read: DIR/GROUP/KIND_VERSION.json (core kinds under DIR/v1/). See docs/editors.md'
            cand generate 'Print every object an installation of the profile consists of (what `meshctl install` applies), in install order, without a cluster'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'meshctl;manifest;crds'= {
            cand -o 'Output format'
            cand --output 'Output format'
            cand --color 'When to use colors: auto (a terminal, unless NO_COLOR is set), always, never'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
        }
        &'meshctl;manifest;schemas'= {
            cand --istio-version 'The Istio release the schemas are for (fields and values it does not serve are left out): 1.28, 1.29, 1.30, 1.31 or 1.32 [default: 1.32, or `istioVersion` of .meshctl.yaml]'
            cand -o 'The directory to write to (created if missing; existing schemas are overwritten)'
            cand --output-dir 'The directory to write to (created if missing; existing schemas are overwritten)'
            cand --color 'When to use colors: auto (a terminal, unless NO_COLOR is set), always, never'
            cand -h 'Print help'
            cand --help 'Print help'
        }
        &'meshctl;manifest;generate'= {
            cand --profile 'The installation profile [default: default; for verify, the profile recorded at installation]'
            cand --set 'A setting, Istio''s names: hub, tag, revision, meshConfig.FIELD, values.pilot.resources.requests.cpu, components.egressGateways[0].enabled, ... (repeatable; applied after -f)'
            cand -f 'An IstioOperator overlay file (its spec: profile, hub, tag, revision, meshConfig, values, components); repeatable, applied in order'
            cand --filename 'An IstioOperator overlay file (its spec: profile, hub, tag, revision, meshConfig, values, components); repeatable, applied in order'
            cand --version 'The Istio release whose images to use: a patch release (such as 1.30.8) of a release --istio-version accepts; default 1.28.3, the release tested against a real istiod. The same as --set tag=VERSION, which takes any tag'
            cand -o 'Output format'
            cand --output 'Output format'
            cand --color 'When to use colors: auto (a terminal, unless NO_COLOR is set), always, never'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
        }
        &'meshctl;manifest;help'= {
            cand crds 'Print the CustomResourceDefinitions of the Istio kinds, generated from meshctl''s model (the same schema `validate` checks against), ready for `kubectl apply --server-side`'
            cand schemas 'Write a JSON Schema for every kind meshctl models (Istio, Kubernetes, Gateway API) and every version it serves, generated from the same model `validate` checks against, in the layout kubeconform and yaml-language-server read: DIR/GROUP/KIND_VERSION.json (core kinds under DIR/v1/). See docs/editors.md'
            cand generate 'Print every object an installation of the profile consists of (what `meshctl install` applies), in install order, without a cluster'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'meshctl;manifest;help;crds'= {
        }
        &'meshctl;manifest;help;schemas'= {
        }
        &'meshctl;manifest;help;generate'= {
        }
        &'meshctl;manifest;help;help'= {
        }
        &'meshctl;precheck'= {
            cand --profile 'The profile to be installed (its pods'' requests are checked against the nodes)'
            cand --istio-namespace 'The namespace the control plane goes into'
            cand -o 'Output format'
            cand --output 'Output format'
            cand --kubeconfig 'Path to the kubeconfig file (default: KUBECONFIG, then ~/.kube/config)'
            cand --context 'The kubeconfig context to use'
            cand --request-timeout 'How long to wait for each answer of the API server: 30s, 1m, 500ms'
            cand --color 'When to use colors: auto (a terminal, unless NO_COLOR is set), always, never'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
        }
        &'meshctl;install'= {
            cand --profile 'The installation profile [default: default; for verify, the profile recorded at installation]'
            cand --set 'A setting, Istio''s names: hub, tag, revision, meshConfig.FIELD, values.pilot.resources.requests.cpu, components.egressGateways[0].enabled, ... (repeatable; applied after -f)'
            cand -f 'An IstioOperator overlay file (its spec: profile, hub, tag, revision, meshConfig, values, components); repeatable, applied in order'
            cand --filename 'An IstioOperator overlay file (its spec: profile, hub, tag, revision, meshConfig, values, components); repeatable, applied in order'
            cand --version 'The Istio release whose images to use: a patch release (such as 1.30.8) of a release --istio-version accepts; default 1.28.3, the release tested against a real istiod. The same as --set tag=VERSION, which takes any tag'
            cand --readiness-timeout 'How long to wait for each component to become ready: 5m, 90s'
            cand --kubeconfig 'Path to the kubeconfig file (default: KUBECONFIG, then ~/.kube/config)'
            cand --context 'The kubeconfig context to use'
            cand --request-timeout 'How long to wait for each answer of the API server: 30s, 1m, 500ms'
            cand --color 'When to use colors: auto (a terminal, unless NO_COLOR is set), always, never'
            cand -y 'Do not ask for confirmation'
            cand --skip-confirmation 'Do not ask for confirmation'
            cand --dry-run 'Send everything as a server-side dry run: the API server checks every object, nothing is stored, nothing is waited for'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
        }
        &'meshctl;uninstall'= {
            cand --revision 'Remove only this control-plane revision (its istiod, webhooks, mesh config and record; `default` for the unnamed one), keeping Istio core and the other revisions'
            cand --kubeconfig 'Path to the kubeconfig file (default: KUBECONFIG, then ~/.kube/config)'
            cand --context 'The kubeconfig context to use'
            cand --request-timeout 'How long to wait for each answer of the API server: 30s, 1m, 500ms'
            cand --color 'When to use colors: auto (a terminal, unless NO_COLOR is set), always, never'
            cand --purge 'Also remove the Istio CRDs (and so every VirtualService, Gateway, ... in the cluster)'
            cand -y 'Do not ask for confirmation'
            cand --skip-confirmation 'Do not ask for confirmation'
            cand -h 'Print help'
            cand --help 'Print help'
        }
        &'meshctl;verify'= {
            cand --profile 'The installation profile [default: default; for verify, the profile recorded at installation]'
            cand --set 'A setting, Istio''s names: hub, tag, revision, meshConfig.FIELD, values.pilot.resources.requests.cpu, components.egressGateways[0].enabled, ... (repeatable; applied after -f)'
            cand -f 'An IstioOperator overlay file (its spec: profile, hub, tag, revision, meshConfig, values, components); repeatable, applied in order'
            cand --filename 'An IstioOperator overlay file (its spec: profile, hub, tag, revision, meshConfig, values, components); repeatable, applied in order'
            cand --version 'The Istio release whose images to use: a patch release (such as 1.30.8) of a release --istio-version accepts; default 1.28.3, the release tested against a real istiod. The same as --set tag=VERSION, which takes any tag'
            cand --kubeconfig 'Path to the kubeconfig file (default: KUBECONFIG, then ~/.kube/config)'
            cand --context 'The kubeconfig context to use'
            cand --request-timeout 'How long to wait for each answer of the API server: 30s, 1m, 500ms'
            cand --color 'When to use colors: auto (a terminal, unless NO_COLOR is set), always, never'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
        }
        &'meshctl;lsp'= {
            cand --color 'When to use colors: auto (a terminal, unless NO_COLOR is set), always, never'
            cand --stdio 'Talk over standard input and output (the default and only transport; accepted because editors pass it)'
            cand -h 'Print help'
            cand --help 'Print help'
        }
        &'meshctl;explain'= {
            cand --color 'When to use colors: auto (a terminal, unless NO_COLOR is set), always, never'
            cand -h 'Print help'
            cand --help 'Print help'
        }
        &'meshctl;completions'= {
            cand --color 'When to use colors: auto (a terminal, unless NO_COLOR is set), always, never'
            cand -h 'Print help'
            cand --help 'Print help'
        }
        &'meshctl;man'= {
            cand --color 'When to use colors: auto (a terminal, unless NO_COLOR is set), always, never'
            cand -h 'Print help'
            cand --help 'Print help'
        }
        &'meshctl;help'= {
            cand validate 'Validate Istio and Kubernetes resources: structure, schema and Istio''s admission rules'
            cand analyze 'Analyze resources together: Istio''s analyzers (IST codes), shadowed routes, and validate''s per-object findings; on files offline, or on the live cluster (no files, or --kube; files are then overlaid)'
            cand lint 'Check resources against best-practice rules (MSH2xxx)'
            cand route-test 'Which gateway, VirtualService rule and destination a request hits, and why; or run a suite of routing test cases with coverage'
            cand diff 'Compare two config sets by resource (added, removed, changed fields), and with --traffic what the change does to routing'
            cand manifest 'Render objects from meshctl''s model without a cluster (the Istio CRDs)'
            cand precheck 'Check whether Istio can be installed in the cluster: Kubernetes version, permissions, an existing control plane, room on the nodes'
            cand install 'Install Istio into the cluster (minimal, default or demo profile) and wait until it is ready'
            cand uninstall 'Remove what meshctl installed (--purge: the Istio CRDs too)'
            cand verify 'Check an installation: every object there, unmodified and ready, webhooks wired'
            cand lsp 'Run the language server (Language Server Protocol over standard input and output): validate and analyze findings as you type, field documentation on hover, "did you mean" quick fixes. See docs/editors.md'
            cand explain 'Print the documentation of a finding code (IST0101, MSH1014, ...), as built into the binary; without a code, list every code'
            cand completions 'Print a shell completion script (bash, zsh, fish, powershell, elvish)'
            cand man 'Print the man page (roff)'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'meshctl;help;validate'= {
        }
        &'meshctl;help;analyze'= {
        }
        &'meshctl;help;lint'= {
        }
        &'meshctl;help;route-test'= {
        }
        &'meshctl;help;diff'= {
        }
        &'meshctl;help;manifest'= {
            cand crds 'Print the CustomResourceDefinitions of the Istio kinds, generated from meshctl''s model (the same schema `validate` checks against), ready for `kubectl apply --server-side`'
            cand schemas 'Write a JSON Schema for every kind meshctl models (Istio, Kubernetes, Gateway API) and every version it serves, generated from the same model `validate` checks against, in the layout kubeconform and yaml-language-server read: DIR/GROUP/KIND_VERSION.json (core kinds under DIR/v1/). See docs/editors.md'
            cand generate 'Print every object an installation of the profile consists of (what `meshctl install` applies), in install order, without a cluster'
        }
        &'meshctl;help;manifest;crds'= {
        }
        &'meshctl;help;manifest;schemas'= {
        }
        &'meshctl;help;manifest;generate'= {
        }
        &'meshctl;help;precheck'= {
        }
        &'meshctl;help;install'= {
        }
        &'meshctl;help;uninstall'= {
        }
        &'meshctl;help;verify'= {
        }
        &'meshctl;help;lsp'= {
        }
        &'meshctl;help;explain'= {
        }
        &'meshctl;help;completions'= {
        }
        &'meshctl;help;man'= {
        }
        &'meshctl;help;help'= {
        }
    ]
    $completions[$command]
}
