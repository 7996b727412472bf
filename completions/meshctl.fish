# Print an optspec for argparse to handle cmd's options that are independent of any subcommand.
function __fish_meshctl_global_optspecs
    string join \n color= h/help V/version
end

function __fish_meshctl_needs_command
    # Figure out if the current invocation already has a command.
    set -l cmd (commandline -opc)
    set -e cmd[1]
    argparse -s (__fish_meshctl_global_optspecs) -- $cmd 2>/dev/null
    or return
    if set -q argv[1]
        # Also print the command, so this can be used to figure out what it is.
        echo $argv[1]
        return 1
    end
    return 0
end

function __fish_meshctl_using_subcommand
    set -l cmd (__fish_meshctl_needs_command)
    test -z "$cmd"
    and return 1
    contains -- $cmd[1] $argv
end

complete -c meshctl -n "__fish_meshctl_needs_command" -l color -d 'When to use colors: auto (a terminal, unless NO_COLOR is set), always, never' -r -f -a "auto\t''
always\t''
never\t''"
complete -c meshctl -n "__fish_meshctl_needs_command" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c meshctl -n "__fish_meshctl_needs_command" -s V -l version -d 'Print version'
complete -c meshctl -n "__fish_meshctl_needs_command" -f -a "validate" -d 'Validate Istio and Kubernetes resources: structure, schema and Istio\'s admission rules'
complete -c meshctl -n "__fish_meshctl_needs_command" -f -a "analyze" -d 'Analyze resources together: Istio\'s analyzers (IST codes), shadowed routes, and validate\'s per-object findings; on files offline, or on the live cluster (no files, or --kube; files are then overlaid)'
complete -c meshctl -n "__fish_meshctl_needs_command" -f -a "lint" -d 'Check resources against best-practice rules (MSH2xxx)'
complete -c meshctl -n "__fish_meshctl_needs_command" -f -a "route-test" -d 'Which gateway, VirtualService rule and destination a request hits, and why; or run a suite of routing test cases with coverage'
complete -c meshctl -n "__fish_meshctl_needs_command" -f -a "diff" -d 'Compare two config sets by resource (added, removed, changed fields), and with --traffic what the change does to routing'
complete -c meshctl -n "__fish_meshctl_needs_command" -f -a "manifest" -d 'Render objects from meshctl\'s model without a cluster (the Istio CRDs)'
complete -c meshctl -n "__fish_meshctl_needs_command" -f -a "precheck" -d 'Check whether Istio can be installed in the cluster: Kubernetes version, permissions, an existing control plane, room on the nodes'
complete -c meshctl -n "__fish_meshctl_needs_command" -f -a "install" -d 'Install Istio into the cluster (minimal, default or demo profile) and wait until it is ready'
complete -c meshctl -n "__fish_meshctl_needs_command" -f -a "uninstall" -d 'Remove what meshctl installed (--purge: the Istio CRDs too)'
complete -c meshctl -n "__fish_meshctl_needs_command" -f -a "verify" -d 'Check an installation: every object there, unmodified and ready, webhooks wired'
complete -c meshctl -n "__fish_meshctl_needs_command" -f -a "lsp" -d 'Run the language server (Language Server Protocol over standard input and output): validate and analyze findings as you type, field documentation on hover, "did you mean" quick fixes. See docs/editors.md'
complete -c meshctl -n "__fish_meshctl_needs_command" -f -a "explain" -d 'Print the documentation of a finding code (IST0101, MSH1014, ...), as built into the binary; without a code, list every code'
complete -c meshctl -n "__fish_meshctl_needs_command" -f -a "completions" -d 'Print a shell completion script (bash, zsh, fish, powershell, elvish)'
complete -c meshctl -n "__fish_meshctl_needs_command" -f -a "man" -d 'Print the man page (roff)'
complete -c meshctl -n "__fish_meshctl_needs_command" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c meshctl -n "__fish_meshctl_using_subcommand validate" -s f -l filename -d 'A file, directory or http(s) URL to read, as with kubectl (repeatable)' -r
complete -c meshctl -n "__fish_meshctl_using_subcommand validate" -s k -l kustomize -d 'A kustomization folder: read what `kubectl kustomize DIR` (or `kustomize build DIR`) renders, as `kubectl apply -k` would (repeatable)' -r
complete -c meshctl -n "__fish_meshctl_using_subcommand validate" -s o -l output -d 'Output format' -r -f -a "human\t''
concise\t'One line per finding: `file:line:col: SEVERITY CODE message [Kind ns/name]`'
json\t''
yaml\t''
sarif\t''
junit\t'JUnit XML (route-test: test suites only)'
github\t''"
complete -c meshctl -n "__fish_meshctl_using_subcommand validate" -l istio-version -d 'The Istio release the configuration is for: 1.28, 1.29, 1.30, 1.31 or 1.32 [default: 1.32, or `istioVersion` of .meshctl.yaml]. What that release does not serve is an error' -r
complete -c meshctl -n "__fish_meshctl_using_subcommand validate" -s S -l suppress -d 'Suppress findings: `CODE=Kind namespace/name` (`Kind name` for cluster-scoped kinds); `*` and `?` are wildcards; MSH1100/MSH1101 name every admission error/warning. Repeatable' -r
complete -c meshctl -n "__fish_meshctl_using_subcommand validate" -l config -d 'Config file (default: the first .meshctl.yaml from the working directory upwards)' -r
complete -c meshctl -n "__fish_meshctl_using_subcommand validate" -l color -d 'When to use colors: auto (a terminal, unless NO_COLOR is set), always, never' -r -f -a "auto\t''
always\t''
never\t''"
complete -c meshctl -n "__fish_meshctl_using_subcommand validate" -s R -l recursive -d 'Read directories recursively, as kubectl\'s and istioctl\'s -R ask: accepted so their command lines work unchanged; meshctl always reads directories recursively'
complete -c meshctl -n "__fish_meshctl_using_subcommand validate" -l strict -d 'Fail (exit 1) on warnings too'
complete -c meshctl -n "__fish_meshctl_using_subcommand validate" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c meshctl -n "__fish_meshctl_using_subcommand analyze" -s f -l filename -d 'A file, directory or http(s) URL to read, as with kubectl (repeatable)' -r
complete -c meshctl -n "__fish_meshctl_using_subcommand analyze" -s k -l kustomize -d 'A kustomization folder: read what `kubectl kustomize DIR` (or `kustomize build DIR`) renders, as `kubectl apply -k` would (repeatable)' -r
complete -c meshctl -n "__fish_meshctl_using_subcommand analyze" -s o -l output -d 'Output format' -r -f -a "human\t''
concise\t'One line per finding: `file:line:col: SEVERITY CODE message [Kind ns/name]`'
json\t''
yaml\t''
sarif\t''
junit\t'JUnit XML (route-test: test suites only)'
github\t''"
complete -c meshctl -n "__fish_meshctl_using_subcommand analyze" -l mesh-config -d 'Istio MeshConfig (a YAML document of MeshConfig fields, or the `istio` ConfigMap); Istio\'s defaults otherwise' -r
complete -c meshctl -n "__fish_meshctl_using_subcommand analyze" -l config -d 'Config file (default: the first .meshctl.yaml from the working directory upwards)' -r
complete -c meshctl -n "__fish_meshctl_using_subcommand analyze" -s S -l suppress -d 'Suppress findings: `CODE=Kind namespace/name` (`Kind name` for cluster-scoped kinds); `*` and `?` are wildcards. Repeatable' -r
complete -c meshctl -n "__fish_meshctl_using_subcommand analyze" -l failure-threshold -d 'Exit 1 when a finding has at least this severity [default: error]' -r -f -a "info\t''
warning\t''
error\t''"
complete -c meshctl -n "__fish_meshctl_using_subcommand analyze" -l output-threshold -d 'Print only findings of at least this severity [default: info]' -r -f -a "info\t''
warning\t''
error\t''"
complete -c meshctl -n "__fish_meshctl_using_subcommand analyze" -l baseline -d 'Report only findings not recorded in this baseline file' -r
complete -c meshctl -n "__fish_meshctl_using_subcommand analyze" -l write-baseline -d 'Record today\'s findings in FILE (then exit 0); use it later with --baseline' -r
complete -c meshctl -n "__fish_meshctl_using_subcommand analyze" -l istio-version -d 'The Istio release the configuration is for: 1.28, 1.29, 1.30, 1.31 or 1.32 [default: 1.32, or `istioVersion` of .meshctl.yaml]. What that release does not serve is an error, and analyzers it does not have do not run' -r
complete -c meshctl -n "__fish_meshctl_using_subcommand analyze" -l kubeconfig -d 'Path to the kubeconfig file (default: KUBECONFIG, then ~/.kube/config)' -r -F
complete -c meshctl -n "__fish_meshctl_using_subcommand analyze" -l context -d 'The kubeconfig context to use' -r
complete -c meshctl -n "__fish_meshctl_using_subcommand analyze" -l request-timeout -d 'How long to wait for each answer of the API server: 30s, 1m, 500ms' -r
complete -c meshctl -n "__fish_meshctl_using_subcommand analyze" -s n -l namespace -d 'The namespace (default: the context\'s namespace); namespace-less objects of files belong to it. Implies --kube, except for analyze and lint given files: there it only sets the namespace of the files\' namespace-less objects, as `kubectl apply -n` and `istioctl analyze --use-kube=false -n` do' -r
complete -c meshctl -n "__fish_meshctl_using_subcommand analyze" -l use-kube -d 'As istioctl: `--use-kube=false` never contacts a cluster (the files alone are checked), `--use-kube=true` is --kube' -r -f -a "true\t''
false\t''"
complete -c meshctl -n "__fish_meshctl_using_subcommand analyze" -l analyzer -d 'Run only this analyzer (repeatable; names as `--list` prints them)' -r
complete -c meshctl -n "__fish_meshctl_using_subcommand analyze" -l color -d 'When to use colors: auto (a terminal, unless NO_COLOR is set), always, never' -r -f -a "auto\t''
always\t''
never\t''"
complete -c meshctl -n "__fish_meshctl_using_subcommand analyze" -s R -l recursive -d 'Read directories recursively, as kubectl\'s and istioctl\'s -R ask: accepted so their command lines work unchanged; meshctl always reads directories recursively'
complete -c meshctl -n "__fish_meshctl_using_subcommand analyze" -s L -l list -l list-analyzers -d 'Print the checks and codes this command runs, and exit'
complete -c meshctl -n "__fish_meshctl_using_subcommand analyze" -l complete -d 'The input is complete: every object it refers to is in it. Without this flag an object the input says nothing about (a Service in a namespace with no Services in the input, a ServiceEntry, a DestinationRule, Istio\'s own gateway Services) is assumed to exist; with it, an object not in the input does not exist'
complete -c meshctl -n "__fish_meshctl_using_subcommand analyze" -l kube -d 'Read the live configuration from the Kubernetes cluster of the current context; files given too are overlaid on it (files win, by resource identity). Implied by --kubeconfig, --context, -n and -A'
complete -c meshctl -n "__fish_meshctl_using_subcommand analyze" -s A -l all-namespaces -d 'Every namespace. Implies --kube'
complete -c meshctl -n "__fish_meshctl_using_subcommand analyze" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c meshctl -n "__fish_meshctl_using_subcommand lint" -s f -l filename -d 'A file, directory or http(s) URL to read, as with kubectl (repeatable)' -r
complete -c meshctl -n "__fish_meshctl_using_subcommand lint" -s k -l kustomize -d 'A kustomization folder: read what `kubectl kustomize DIR` (or `kustomize build DIR`) renders, as `kubectl apply -k` would (repeatable)' -r
complete -c meshctl -n "__fish_meshctl_using_subcommand lint" -s o -l output -d 'Output format' -r -f -a "human\t''
concise\t'One line per finding: `file:line:col: SEVERITY CODE message [Kind ns/name]`'
json\t''
yaml\t''
sarif\t''
junit\t'JUnit XML (route-test: test suites only)'
github\t''"
complete -c meshctl -n "__fish_meshctl_using_subcommand lint" -l mesh-config -d 'Istio MeshConfig (a YAML document of MeshConfig fields, or the `istio` ConfigMap); Istio\'s defaults otherwise' -r
complete -c meshctl -n "__fish_meshctl_using_subcommand lint" -l config -d 'Config file (default: the first .meshctl.yaml from the working directory upwards)' -r
complete -c meshctl -n "__fish_meshctl_using_subcommand lint" -s S -l suppress -d 'Suppress findings: `CODE=Kind namespace/name` (`Kind name` for cluster-scoped kinds); `*` and `?` are wildcards. Repeatable' -r
complete -c meshctl -n "__fish_meshctl_using_subcommand lint" -l failure-threshold -d 'Exit 1 when a finding has at least this severity [default: error]' -r -f -a "info\t''
warning\t''
error\t''"
complete -c meshctl -n "__fish_meshctl_using_subcommand lint" -l output-threshold -d 'Print only findings of at least this severity [default: info]' -r -f -a "info\t''
warning\t''
error\t''"
complete -c meshctl -n "__fish_meshctl_using_subcommand lint" -l baseline -d 'Report only findings not recorded in this baseline file' -r
complete -c meshctl -n "__fish_meshctl_using_subcommand lint" -l write-baseline -d 'Record today\'s findings in FILE (then exit 0); use it later with --baseline' -r
complete -c meshctl -n "__fish_meshctl_using_subcommand lint" -l istio-version -d 'The Istio release the configuration is for: 1.28, 1.29, 1.30, 1.31 or 1.32 [default: 1.32, or `istioVersion` of .meshctl.yaml]. What that release does not serve is an error, and analyzers it does not have do not run' -r
complete -c meshctl -n "__fish_meshctl_using_subcommand lint" -l kubeconfig -d 'Path to the kubeconfig file (default: KUBECONFIG, then ~/.kube/config)' -r -F
complete -c meshctl -n "__fish_meshctl_using_subcommand lint" -l context -d 'The kubeconfig context to use' -r
complete -c meshctl -n "__fish_meshctl_using_subcommand lint" -l request-timeout -d 'How long to wait for each answer of the API server: 30s, 1m, 500ms' -r
complete -c meshctl -n "__fish_meshctl_using_subcommand lint" -s n -l namespace -d 'The namespace (default: the context\'s namespace); namespace-less objects of files belong to it. Implies --kube, except for analyze and lint given files: there it only sets the namespace of the files\' namespace-less objects, as `kubectl apply -n` and `istioctl analyze --use-kube=false -n` do' -r
complete -c meshctl -n "__fish_meshctl_using_subcommand lint" -l use-kube -d 'As istioctl: `--use-kube=false` never contacts a cluster (the files alone are checked), `--use-kube=true` is --kube' -r -f -a "true\t''
false\t''"
complete -c meshctl -n "__fish_meshctl_using_subcommand lint" -l rule -d 'Run only this rule (repeatable; names as `--list` prints them)' -r
complete -c meshctl -n "__fish_meshctl_using_subcommand lint" -l color -d 'When to use colors: auto (a terminal, unless NO_COLOR is set), always, never' -r -f -a "auto\t''
always\t''
never\t''"
complete -c meshctl -n "__fish_meshctl_using_subcommand lint" -s R -l recursive -d 'Read directories recursively, as kubectl\'s and istioctl\'s -R ask: accepted so their command lines work unchanged; meshctl always reads directories recursively'
complete -c meshctl -n "__fish_meshctl_using_subcommand lint" -s L -l list -l list-analyzers -d 'Print the checks and codes this command runs, and exit'
complete -c meshctl -n "__fish_meshctl_using_subcommand lint" -l complete -d 'The input is complete: every object it refers to is in it. Without this flag an object the input says nothing about (a Service in a namespace with no Services in the input, a ServiceEntry, a DestinationRule, Istio\'s own gateway Services) is assumed to exist; with it, an object not in the input does not exist'
complete -c meshctl -n "__fish_meshctl_using_subcommand lint" -l kube -d 'Read the live configuration from the Kubernetes cluster of the current context; files given too are overlaid on it (files win, by resource identity). Implied by --kubeconfig, --context, -n and -A'
complete -c meshctl -n "__fish_meshctl_using_subcommand lint" -s A -l all-namespaces -d 'Every namespace. Implies --kube'
complete -c meshctl -n "__fish_meshctl_using_subcommand lint" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c meshctl -n "__fish_meshctl_using_subcommand route-test" -s f -l filename -d 'Istio and Kubernetes configuration: files, directories (recursively) or http(s) URLs, `-` for stdin (repeatable). With --kube, overlaid on the cluster\'s configuration' -r
complete -c meshctl -n "__fish_meshctl_using_subcommand route-test" -l istio-version -d 'The Istio release the configuration is for: 1.28, 1.29, 1.30, 1.31 or 1.32 [default: 1.32]. Objects that release would reject are not routed' -r
complete -c meshctl -n "__fish_meshctl_using_subcommand route-test" -s X -l request -d 'HTTP method' -r
complete -c meshctl -n "__fish_meshctl_using_subcommand route-test" -s H -l header -d 'A request header, \'Name: value\' (repeatable). `Host:` sets the authority' -r
complete -c meshctl -n "__fish_meshctl_using_subcommand route-test" -l sni -d 'TLS server name (default: the URL\'s host for https and tls)' -r
complete -c meshctl -n "__fish_meshctl_using_subcommand route-test" -l gateway -d 'Evaluate at this ingress gateway workload: NAMESPACE/LABEL=VALUE[,LABEL=VALUE...] (default istio-system/istio=ingressgateway when a Gateway in the input selects it, else the first Gateway\'s selector in its namespace)' -r
complete -c meshctl -n "__fish_meshctl_using_subcommand route-test" -l from -d 'Evaluate at the sidecar of this caller workload: NAMESPACE/LABEL=VALUE[,...]. A workload (or, for --gateway, a gateway) the input does not have is a warning' -r
complete -c meshctl -n "__fish_meshctl_using_subcommand route-test" -l tests -d 'Run the test cases in these files or directories (istio-config-validator files and meshctl\'s native form)' -r
complete -c meshctl -n "__fish_meshctl_using_subcommand route-test" -l fail-under -d 'With --tests: fail when route coverage is below this percentage' -r
complete -c meshctl -n "__fish_meshctl_using_subcommand route-test" -s o -l output -d 'Output format' -r -f -a "human\t''
json\t''
yaml\t''
junit\t'JUnit XML (route-test: test suites only)'"
complete -c meshctl -n "__fish_meshctl_using_subcommand route-test" -l kubeconfig -d 'Path to the kubeconfig file (default: KUBECONFIG, then ~/.kube/config)' -r -F
complete -c meshctl -n "__fish_meshctl_using_subcommand route-test" -l context -d 'The kubeconfig context to use' -r
complete -c meshctl -n "__fish_meshctl_using_subcommand route-test" -l request-timeout -d 'How long to wait for each answer of the API server: 30s, 1m, 500ms' -r
complete -c meshctl -n "__fish_meshctl_using_subcommand route-test" -s n -l namespace -d 'The namespace (default: the context\'s namespace); namespace-less objects of files belong to it. Implies --kube, except for analyze and lint given files: there it only sets the namespace of the files\' namespace-less objects, as `kubectl apply -n` and `istioctl analyze --use-kube=false -n` do' -r
complete -c meshctl -n "__fish_meshctl_using_subcommand route-test" -l use-kube -d 'As istioctl: `--use-kube=false` never contacts a cluster (the files alone are checked), `--use-kube=true` is --kube' -r -f -a "true\t''
false\t''"
complete -c meshctl -n "__fish_meshctl_using_subcommand route-test" -l color -d 'When to use colors: auto (a terminal, unless NO_COLOR is set), always, never' -r -f -a "auto\t''
always\t''
never\t''"
complete -c meshctl -n "__fish_meshctl_using_subcommand route-test" -s v -l explain -d 'Print every candidate route and the full trace'
complete -c meshctl -n "__fish_meshctl_using_subcommand route-test" -l registry-only -d 'Outbound traffic policy REGISTRY_ONLY: requests to unknown hosts are blocked (502) instead of passed through'
complete -c meshctl -n "__fish_meshctl_using_subcommand route-test" -l complete -d 'The input is complete: every object it refers to is in it. Without this flag an object the input says nothing about (a Service in a namespace with no Services in the input, a ServiceEntry, a DestinationRule, Istio\'s own gateway Services) is assumed to exist; with it, an object not in the input does not exist'
complete -c meshctl -n "__fish_meshctl_using_subcommand route-test" -l kube -d 'Read the live configuration from the Kubernetes cluster of the current context; files given too are overlaid on it (files win, by resource identity). Implied by --kubeconfig, --context, -n and -A'
complete -c meshctl -n "__fish_meshctl_using_subcommand route-test" -s A -l all-namespaces -d 'Every namespace. Implies --kube'
complete -c meshctl -n "__fish_meshctl_using_subcommand route-test" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c meshctl -n "__fish_meshctl_using_subcommand diff" -s f -l filename -d 'With --kube: the new configuration, a file, directory or URL (repeatable)' -r
complete -c meshctl -n "__fish_meshctl_using_subcommand diff" -s o -l output -d 'Output format' -r -f -a "human\t''
markdown\t'Markdown, for pull-request comments'
json\t''
yaml\t''"
complete -c meshctl -n "__fish_meshctl_using_subcommand diff" -l istio-version -d 'With --traffic: the Istio release the configuration is for (1.28 to 1.32) [default: 1.32]. Objects that release would reject are not routed' -r
complete -c meshctl -n "__fish_meshctl_using_subcommand diff" -l ignore-field -d 'A field not to compare, e.g. `metadata.annotations` or `spec.http[*].timeout` (repeatable; `*` matches any key or list item)' -r
complete -c meshctl -n "__fish_meshctl_using_subcommand diff" -l kubeconfig -d 'Path to the kubeconfig file (default: KUBECONFIG, then ~/.kube/config)' -r -F
complete -c meshctl -n "__fish_meshctl_using_subcommand diff" -l context -d 'The kubeconfig context to use' -r
complete -c meshctl -n "__fish_meshctl_using_subcommand diff" -l request-timeout -d 'How long to wait for each answer of the API server: 30s, 1m, 500ms' -r
complete -c meshctl -n "__fish_meshctl_using_subcommand diff" -s n -l namespace -d 'The namespace (default: the context\'s namespace); namespace-less objects of files belong to it. Implies --kube, except for analyze and lint given files: there it only sets the namespace of the files\' namespace-less objects, as `kubectl apply -n` and `istioctl analyze --use-kube=false -n` do' -r
complete -c meshctl -n "__fish_meshctl_using_subcommand diff" -l use-kube -d 'As istioctl: `--use-kube=false` never contacts a cluster (the files alone are checked), `--use-kube=true` is --kube' -r -f -a "true\t''
false\t''"
complete -c meshctl -n "__fish_meshctl_using_subcommand diff" -l color -d 'When to use colors: auto (a terminal, unless NO_COLOR is set), always, never' -r -f -a "auto\t''
always\t''
never\t''"
complete -c meshctl -n "__fish_meshctl_using_subcommand diff" -l traffic -d 'Also report what the change does to traffic: probe requests derived from both configs whose routing outcome changed'
complete -c meshctl -n "__fish_meshctl_using_subcommand diff" -l findings -d 'Also say which analyzer findings the change introduces and which it resolves (both sides analyzed as `meshctl analyze` would). On by default with -o markdown'
complete -c meshctl -n "__fish_meshctl_using_subcommand diff" -l explain -d 'With --traffic: print the old and new routing trace of every changed request'
complete -c meshctl -n "__fish_meshctl_using_subcommand diff" -l exit-zero -d 'Exit 0 even when there are differences (for reports)'
complete -c meshctl -n "__fish_meshctl_using_subcommand diff" -l kube -d 'Read the live configuration from the Kubernetes cluster of the current context; files given too are overlaid on it (files win, by resource identity). Implied by --kubeconfig, --context, -n and -A'
complete -c meshctl -n "__fish_meshctl_using_subcommand diff" -s A -l all-namespaces -d 'Every namespace. Implies --kube'
complete -c meshctl -n "__fish_meshctl_using_subcommand diff" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c meshctl -n "__fish_meshctl_using_subcommand manifest; and not __fish_seen_subcommand_from crds schemas generate help" -l color -d 'When to use colors: auto (a terminal, unless NO_COLOR is set), always, never' -r -f -a "auto\t''
always\t''
never\t''"
complete -c meshctl -n "__fish_meshctl_using_subcommand manifest; and not __fish_seen_subcommand_from crds schemas generate help" -s h -l help -d 'Print help'
complete -c meshctl -n "__fish_meshctl_using_subcommand manifest; and not __fish_seen_subcommand_from crds schemas generate help" -f -a "crds" -d 'Print the CustomResourceDefinitions of the Istio kinds, generated from meshctl\'s model (the same schema `validate` checks against), ready for `kubectl apply --server-side`'
complete -c meshctl -n "__fish_meshctl_using_subcommand manifest; and not __fish_seen_subcommand_from crds schemas generate help" -f -a "schemas" -d 'Write a JSON Schema for every kind meshctl models (Istio, Kubernetes, Gateway API) and every version it serves, generated from the same model `validate` checks against, in the layout kubeconform and yaml-language-server read: DIR/GROUP/KIND_VERSION.json (core kinds under DIR/v1/). See docs/editors.md'
complete -c meshctl -n "__fish_meshctl_using_subcommand manifest; and not __fish_seen_subcommand_from crds schemas generate help" -f -a "generate" -d 'Print every object an installation of the profile consists of (what `meshctl install` applies), in install order, without a cluster'
complete -c meshctl -n "__fish_meshctl_using_subcommand manifest; and not __fish_seen_subcommand_from crds schemas generate help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c meshctl -n "__fish_meshctl_using_subcommand manifest; and __fish_seen_subcommand_from crds" -s o -l output -d 'Output format' -r -f -a "yaml\t'A multi-document YAML stream'
json\t'A `v1` `List` object'"
complete -c meshctl -n "__fish_meshctl_using_subcommand manifest; and __fish_seen_subcommand_from crds" -l color -d 'When to use colors: auto (a terminal, unless NO_COLOR is set), always, never' -r -f -a "auto\t''
always\t''
never\t''"
complete -c meshctl -n "__fish_meshctl_using_subcommand manifest; and __fish_seen_subcommand_from crds" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c meshctl -n "__fish_meshctl_using_subcommand manifest; and __fish_seen_subcommand_from schemas" -l istio-version -d 'The Istio release the schemas are for (fields and values it does not serve are left out): 1.28, 1.29, 1.30, 1.31 or 1.32 [default: 1.32, or `istioVersion` of .meshctl.yaml]' -r
complete -c meshctl -n "__fish_meshctl_using_subcommand manifest; and __fish_seen_subcommand_from schemas" -s o -l output-dir -d 'The directory to write to (created if missing; existing schemas are overwritten)' -r -f -a "(__fish_complete_directories)"
complete -c meshctl -n "__fish_meshctl_using_subcommand manifest; and __fish_seen_subcommand_from schemas" -l color -d 'When to use colors: auto (a terminal, unless NO_COLOR is set), always, never' -r -f -a "auto\t''
always\t''
never\t''"
complete -c meshctl -n "__fish_meshctl_using_subcommand manifest; and __fish_seen_subcommand_from schemas" -s h -l help -d 'Print help'
complete -c meshctl -n "__fish_meshctl_using_subcommand manifest; and __fish_seen_subcommand_from generate" -l profile -d 'The installation profile [default: default; for verify, the profile recorded at installation]' -r -f -a "minimal\t'istiod only'
default\t'istiod and an ingress gateway (what production installations start from)'
demo\t'istiod, ingress and egress gateways, small requests, access logs on: for trying Istio'
empty\t'Nothing: a base for overlays that enable components one by one'"
complete -c meshctl -n "__fish_meshctl_using_subcommand manifest; and __fish_seen_subcommand_from generate" -l set -d 'A setting, Istio\'s names: hub, tag, revision, meshConfig.FIELD, values.pilot.resources.requests.cpu, components.egressGateways[0].enabled, ... (repeatable; applied after -f)' -r
complete -c meshctl -n "__fish_meshctl_using_subcommand manifest; and __fish_seen_subcommand_from generate" -s f -l filename -d 'An IstioOperator overlay file (its spec: profile, hub, tag, revision, meshConfig, values, components); repeatable, applied in order' -r
complete -c meshctl -n "__fish_meshctl_using_subcommand manifest; and __fish_seen_subcommand_from generate" -l version -d 'The Istio release whose images to use: a patch release (such as 1.30.8) of a release --istio-version accepts; default 1.28.3, the release tested against a real istiod. The same as --set tag=VERSION, which takes any tag' -r
complete -c meshctl -n "__fish_meshctl_using_subcommand manifest; and __fish_seen_subcommand_from generate" -s o -l output -d 'Output format' -r -f -a "yaml\t'A multi-document YAML stream'
json\t'A `v1` `List` object'"
complete -c meshctl -n "__fish_meshctl_using_subcommand manifest; and __fish_seen_subcommand_from generate" -l color -d 'When to use colors: auto (a terminal, unless NO_COLOR is set), always, never' -r -f -a "auto\t''
always\t''
never\t''"
complete -c meshctl -n "__fish_meshctl_using_subcommand manifest; and __fish_seen_subcommand_from generate" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c meshctl -n "__fish_meshctl_using_subcommand manifest; and __fish_seen_subcommand_from help" -f -a "crds" -d 'Print the CustomResourceDefinitions of the Istio kinds, generated from meshctl\'s model (the same schema `validate` checks against), ready for `kubectl apply --server-side`'
complete -c meshctl -n "__fish_meshctl_using_subcommand manifest; and __fish_seen_subcommand_from help" -f -a "schemas" -d 'Write a JSON Schema for every kind meshctl models (Istio, Kubernetes, Gateway API) and every version it serves, generated from the same model `validate` checks against, in the layout kubeconform and yaml-language-server read: DIR/GROUP/KIND_VERSION.json (core kinds under DIR/v1/). See docs/editors.md'
complete -c meshctl -n "__fish_meshctl_using_subcommand manifest; and __fish_seen_subcommand_from help" -f -a "generate" -d 'Print every object an installation of the profile consists of (what `meshctl install` applies), in install order, without a cluster'
complete -c meshctl -n "__fish_meshctl_using_subcommand manifest; and __fish_seen_subcommand_from help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c meshctl -n "__fish_meshctl_using_subcommand precheck" -l profile -d 'The profile to be installed (its pods\' requests are checked against the nodes)' -r -f -a "minimal\t'istiod only'
default\t'istiod and an ingress gateway (what production installations start from)'
demo\t'istiod, ingress and egress gateways, small requests, access logs on: for trying Istio'
empty\t'Nothing: a base for overlays that enable components one by one'"
complete -c meshctl -n "__fish_meshctl_using_subcommand precheck" -l istio-namespace -d 'The namespace the control plane goes into' -r
complete -c meshctl -n "__fish_meshctl_using_subcommand precheck" -s o -l output -d 'Output format' -r -f -a "human\t''
json\t''
yaml\t''"
complete -c meshctl -n "__fish_meshctl_using_subcommand precheck" -l kubeconfig -d 'Path to the kubeconfig file (default: KUBECONFIG, then ~/.kube/config)' -r -F
complete -c meshctl -n "__fish_meshctl_using_subcommand precheck" -l context -d 'The kubeconfig context to use' -r
complete -c meshctl -n "__fish_meshctl_using_subcommand precheck" -l request-timeout -d 'How long to wait for each answer of the API server: 30s, 1m, 500ms' -r
complete -c meshctl -n "__fish_meshctl_using_subcommand precheck" -l color -d 'When to use colors: auto (a terminal, unless NO_COLOR is set), always, never' -r -f -a "auto\t''
always\t''
never\t''"
complete -c meshctl -n "__fish_meshctl_using_subcommand precheck" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c meshctl -n "__fish_meshctl_using_subcommand install" -l profile -d 'The installation profile [default: default; for verify, the profile recorded at installation]' -r -f -a "minimal\t'istiod only'
default\t'istiod and an ingress gateway (what production installations start from)'
demo\t'istiod, ingress and egress gateways, small requests, access logs on: for trying Istio'
empty\t'Nothing: a base for overlays that enable components one by one'"
complete -c meshctl -n "__fish_meshctl_using_subcommand install" -l set -d 'A setting, Istio\'s names: hub, tag, revision, meshConfig.FIELD, values.pilot.resources.requests.cpu, components.egressGateways[0].enabled, ... (repeatable; applied after -f)' -r
complete -c meshctl -n "__fish_meshctl_using_subcommand install" -s f -l filename -d 'An IstioOperator overlay file (its spec: profile, hub, tag, revision, meshConfig, values, components); repeatable, applied in order' -r
complete -c meshctl -n "__fish_meshctl_using_subcommand install" -l version -d 'The Istio release whose images to use: a patch release (such as 1.30.8) of a release --istio-version accepts; default 1.28.3, the release tested against a real istiod. The same as --set tag=VERSION, which takes any tag' -r
complete -c meshctl -n "__fish_meshctl_using_subcommand install" -l readiness-timeout -d 'How long to wait for each component to become ready: 5m, 90s' -r
complete -c meshctl -n "__fish_meshctl_using_subcommand install" -l kubeconfig -d 'Path to the kubeconfig file (default: KUBECONFIG, then ~/.kube/config)' -r -F
complete -c meshctl -n "__fish_meshctl_using_subcommand install" -l context -d 'The kubeconfig context to use' -r
complete -c meshctl -n "__fish_meshctl_using_subcommand install" -l request-timeout -d 'How long to wait for each answer of the API server: 30s, 1m, 500ms' -r
complete -c meshctl -n "__fish_meshctl_using_subcommand install" -l color -d 'When to use colors: auto (a terminal, unless NO_COLOR is set), always, never' -r -f -a "auto\t''
always\t''
never\t''"
complete -c meshctl -n "__fish_meshctl_using_subcommand install" -s y -l skip-confirmation -d 'Do not ask for confirmation'
complete -c meshctl -n "__fish_meshctl_using_subcommand install" -l dry-run -d 'Send everything as a server-side dry run: the API server checks every object, nothing is stored, nothing is waited for'
complete -c meshctl -n "__fish_meshctl_using_subcommand install" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c meshctl -n "__fish_meshctl_using_subcommand uninstall" -l revision -d 'Remove only this control-plane revision (its istiod, webhooks, mesh config and record; `default` for the unnamed one), keeping Istio core and the other revisions' -r
complete -c meshctl -n "__fish_meshctl_using_subcommand uninstall" -l kubeconfig -d 'Path to the kubeconfig file (default: KUBECONFIG, then ~/.kube/config)' -r -F
complete -c meshctl -n "__fish_meshctl_using_subcommand uninstall" -l context -d 'The kubeconfig context to use' -r
complete -c meshctl -n "__fish_meshctl_using_subcommand uninstall" -l request-timeout -d 'How long to wait for each answer of the API server: 30s, 1m, 500ms' -r
complete -c meshctl -n "__fish_meshctl_using_subcommand uninstall" -l color -d 'When to use colors: auto (a terminal, unless NO_COLOR is set), always, never' -r -f -a "auto\t''
always\t''
never\t''"
complete -c meshctl -n "__fish_meshctl_using_subcommand uninstall" -l purge -d 'Also remove the Istio CRDs (and so every VirtualService, Gateway, ... in the cluster)'
complete -c meshctl -n "__fish_meshctl_using_subcommand uninstall" -s y -l skip-confirmation -d 'Do not ask for confirmation'
complete -c meshctl -n "__fish_meshctl_using_subcommand uninstall" -s h -l help -d 'Print help'
complete -c meshctl -n "__fish_meshctl_using_subcommand verify" -l profile -d 'The installation profile [default: default; for verify, the profile recorded at installation]' -r -f -a "minimal\t'istiod only'
default\t'istiod and an ingress gateway (what production installations start from)'
demo\t'istiod, ingress and egress gateways, small requests, access logs on: for trying Istio'
empty\t'Nothing: a base for overlays that enable components one by one'"
complete -c meshctl -n "__fish_meshctl_using_subcommand verify" -l set -d 'A setting, Istio\'s names: hub, tag, revision, meshConfig.FIELD, values.pilot.resources.requests.cpu, components.egressGateways[0].enabled, ... (repeatable; applied after -f)' -r
complete -c meshctl -n "__fish_meshctl_using_subcommand verify" -s f -l filename -d 'An IstioOperator overlay file (its spec: profile, hub, tag, revision, meshConfig, values, components); repeatable, applied in order' -r
complete -c meshctl -n "__fish_meshctl_using_subcommand verify" -l version -d 'The Istio release whose images to use: a patch release (such as 1.30.8) of a release --istio-version accepts; default 1.28.3, the release tested against a real istiod. The same as --set tag=VERSION, which takes any tag' -r
complete -c meshctl -n "__fish_meshctl_using_subcommand verify" -l kubeconfig -d 'Path to the kubeconfig file (default: KUBECONFIG, then ~/.kube/config)' -r -F
complete -c meshctl -n "__fish_meshctl_using_subcommand verify" -l context -d 'The kubeconfig context to use' -r
complete -c meshctl -n "__fish_meshctl_using_subcommand verify" -l request-timeout -d 'How long to wait for each answer of the API server: 30s, 1m, 500ms' -r
complete -c meshctl -n "__fish_meshctl_using_subcommand verify" -l color -d 'When to use colors: auto (a terminal, unless NO_COLOR is set), always, never' -r -f -a "auto\t''
always\t''
never\t''"
complete -c meshctl -n "__fish_meshctl_using_subcommand verify" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c meshctl -n "__fish_meshctl_using_subcommand lsp" -l color -d 'When to use colors: auto (a terminal, unless NO_COLOR is set), always, never' -r -f -a "auto\t''
always\t''
never\t''"
complete -c meshctl -n "__fish_meshctl_using_subcommand lsp" -l stdio -d 'Talk over standard input and output (the default and only transport; accepted because editors pass it)'
complete -c meshctl -n "__fish_meshctl_using_subcommand lsp" -s h -l help -d 'Print help'
complete -c meshctl -n "__fish_meshctl_using_subcommand explain" -l color -d 'When to use colors: auto (a terminal, unless NO_COLOR is set), always, never' -r -f -a "auto\t''
always\t''
never\t''"
complete -c meshctl -n "__fish_meshctl_using_subcommand explain" -s h -l help -d 'Print help'
complete -c meshctl -n "__fish_meshctl_using_subcommand completions" -l color -d 'When to use colors: auto (a terminal, unless NO_COLOR is set), always, never' -r -f -a "auto\t''
always\t''
never\t''"
complete -c meshctl -n "__fish_meshctl_using_subcommand completions" -s h -l help -d 'Print help'
complete -c meshctl -n "__fish_meshctl_using_subcommand man" -l color -d 'When to use colors: auto (a terminal, unless NO_COLOR is set), always, never' -r -f -a "auto\t''
always\t''
never\t''"
complete -c meshctl -n "__fish_meshctl_using_subcommand man" -s h -l help -d 'Print help'
complete -c meshctl -n "__fish_meshctl_using_subcommand help; and not __fish_seen_subcommand_from validate analyze lint route-test diff manifest precheck install uninstall verify lsp explain completions man help" -f -a "validate" -d 'Validate Istio and Kubernetes resources: structure, schema and Istio\'s admission rules'
complete -c meshctl -n "__fish_meshctl_using_subcommand help; and not __fish_seen_subcommand_from validate analyze lint route-test diff manifest precheck install uninstall verify lsp explain completions man help" -f -a "analyze" -d 'Analyze resources together: Istio\'s analyzers (IST codes), shadowed routes, and validate\'s per-object findings; on files offline, or on the live cluster (no files, or --kube; files are then overlaid)'
complete -c meshctl -n "__fish_meshctl_using_subcommand help; and not __fish_seen_subcommand_from validate analyze lint route-test diff manifest precheck install uninstall verify lsp explain completions man help" -f -a "lint" -d 'Check resources against best-practice rules (MSH2xxx)'
complete -c meshctl -n "__fish_meshctl_using_subcommand help; and not __fish_seen_subcommand_from validate analyze lint route-test diff manifest precheck install uninstall verify lsp explain completions man help" -f -a "route-test" -d 'Which gateway, VirtualService rule and destination a request hits, and why; or run a suite of routing test cases with coverage'
complete -c meshctl -n "__fish_meshctl_using_subcommand help; and not __fish_seen_subcommand_from validate analyze lint route-test diff manifest precheck install uninstall verify lsp explain completions man help" -f -a "diff" -d 'Compare two config sets by resource (added, removed, changed fields), and with --traffic what the change does to routing'
complete -c meshctl -n "__fish_meshctl_using_subcommand help; and not __fish_seen_subcommand_from validate analyze lint route-test diff manifest precheck install uninstall verify lsp explain completions man help" -f -a "manifest" -d 'Render objects from meshctl\'s model without a cluster (the Istio CRDs)'
complete -c meshctl -n "__fish_meshctl_using_subcommand help; and not __fish_seen_subcommand_from validate analyze lint route-test diff manifest precheck install uninstall verify lsp explain completions man help" -f -a "precheck" -d 'Check whether Istio can be installed in the cluster: Kubernetes version, permissions, an existing control plane, room on the nodes'
complete -c meshctl -n "__fish_meshctl_using_subcommand help; and not __fish_seen_subcommand_from validate analyze lint route-test diff manifest precheck install uninstall verify lsp explain completions man help" -f -a "install" -d 'Install Istio into the cluster (minimal, default or demo profile) and wait until it is ready'
complete -c meshctl -n "__fish_meshctl_using_subcommand help; and not __fish_seen_subcommand_from validate analyze lint route-test diff manifest precheck install uninstall verify lsp explain completions man help" -f -a "uninstall" -d 'Remove what meshctl installed (--purge: the Istio CRDs too)'
complete -c meshctl -n "__fish_meshctl_using_subcommand help; and not __fish_seen_subcommand_from validate analyze lint route-test diff manifest precheck install uninstall verify lsp explain completions man help" -f -a "verify" -d 'Check an installation: every object there, unmodified and ready, webhooks wired'
complete -c meshctl -n "__fish_meshctl_using_subcommand help; and not __fish_seen_subcommand_from validate analyze lint route-test diff manifest precheck install uninstall verify lsp explain completions man help" -f -a "lsp" -d 'Run the language server (Language Server Protocol over standard input and output): validate and analyze findings as you type, field documentation on hover, "did you mean" quick fixes. See docs/editors.md'
complete -c meshctl -n "__fish_meshctl_using_subcommand help; and not __fish_seen_subcommand_from validate analyze lint route-test diff manifest precheck install uninstall verify lsp explain completions man help" -f -a "explain" -d 'Print the documentation of a finding code (IST0101, MSH1014, ...), as built into the binary; without a code, list every code'
complete -c meshctl -n "__fish_meshctl_using_subcommand help; and not __fish_seen_subcommand_from validate analyze lint route-test diff manifest precheck install uninstall verify lsp explain completions man help" -f -a "completions" -d 'Print a shell completion script (bash, zsh, fish, powershell, elvish)'
complete -c meshctl -n "__fish_meshctl_using_subcommand help; and not __fish_seen_subcommand_from validate analyze lint route-test diff manifest precheck install uninstall verify lsp explain completions man help" -f -a "man" -d 'Print the man page (roff)'
complete -c meshctl -n "__fish_meshctl_using_subcommand help; and not __fish_seen_subcommand_from validate analyze lint route-test diff manifest precheck install uninstall verify lsp explain completions man help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c meshctl -n "__fish_meshctl_using_subcommand help; and __fish_seen_subcommand_from manifest" -f -a "crds" -d 'Print the CustomResourceDefinitions of the Istio kinds, generated from meshctl\'s model (the same schema `validate` checks against), ready for `kubectl apply --server-side`'
complete -c meshctl -n "__fish_meshctl_using_subcommand help; and __fish_seen_subcommand_from manifest" -f -a "schemas" -d 'Write a JSON Schema for every kind meshctl models (Istio, Kubernetes, Gateway API) and every version it serves, generated from the same model `validate` checks against, in the layout kubeconform and yaml-language-server read: DIR/GROUP/KIND_VERSION.json (core kinds under DIR/v1/). See docs/editors.md'
complete -c meshctl -n "__fish_meshctl_using_subcommand help; and __fish_seen_subcommand_from manifest" -f -a "generate" -d 'Print every object an installation of the profile consists of (what `meshctl install` applies), in install order, without a cluster'
