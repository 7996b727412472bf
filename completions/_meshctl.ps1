
using namespace System.Management.Automation
using namespace System.Management.Automation.Language

Register-ArgumentCompleter -Native -CommandName 'meshctl' -ScriptBlock {
    param($wordToComplete, $commandAst, $cursorPosition)

    $commandElements = $commandAst.CommandElements
    $command = @(
        'meshctl'
        for ($i = 1; $i -lt $commandElements.Count; $i++) {
            $element = $commandElements[$i]
            if ($element -isnot [StringConstantExpressionAst] -or
                $element.StringConstantType -ne [StringConstantType]::BareWord -or
                $element.Value.StartsWith('-') -or
                $element.Value -eq $wordToComplete) {
                break
        }
        $element.Value
    }) -join ';'

    $completions = @(switch ($command) {
        'meshctl' {
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to use colors: auto (a terminal, unless NO_COLOR is set), always, never')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('validate', 'validate', [CompletionResultType]::ParameterValue, 'Validate Istio and Kubernetes resources: structure, schema and Istio''s admission rules')
            [CompletionResult]::new('analyze', 'analyze', [CompletionResultType]::ParameterValue, 'Analyze resources together: Istio''s analyzers (IST codes), shadowed routes, and validate''s per-object findings; on files offline, or on the live cluster (no files, or --kube; files are then overlaid)')
            [CompletionResult]::new('lint', 'lint', [CompletionResultType]::ParameterValue, 'Check resources against best-practice rules (MSH2xxx)')
            [CompletionResult]::new('route-test', 'route-test', [CompletionResultType]::ParameterValue, 'Which gateway, VirtualService rule and destination a request hits, and why; or run a suite of routing test cases with coverage')
            [CompletionResult]::new('diff', 'diff', [CompletionResultType]::ParameterValue, 'Compare two config sets by resource (added, removed, changed fields), and with --traffic what the change does to routing')
            [CompletionResult]::new('manifest', 'manifest', [CompletionResultType]::ParameterValue, 'Render objects from meshctl''s model without a cluster (the Istio CRDs)')
            [CompletionResult]::new('precheck', 'precheck', [CompletionResultType]::ParameterValue, 'Check whether Istio can be installed in the cluster: Kubernetes version, permissions, an existing control plane, room on the nodes')
            [CompletionResult]::new('install', 'install', [CompletionResultType]::ParameterValue, 'Install Istio into the cluster (minimal, default or demo profile) and wait until it is ready')
            [CompletionResult]::new('uninstall', 'uninstall', [CompletionResultType]::ParameterValue, 'Remove what meshctl installed (--purge: the Istio CRDs too)')
            [CompletionResult]::new('verify', 'verify', [CompletionResultType]::ParameterValue, 'Check an installation: every object there, unmodified and ready, webhooks wired')
            [CompletionResult]::new('lsp', 'lsp', [CompletionResultType]::ParameterValue, 'Run the language server (Language Server Protocol over standard input and output): validate and analyze findings as you type, field documentation on hover, "did you mean" quick fixes. See docs/editors.md')
            [CompletionResult]::new('explain', 'explain', [CompletionResultType]::ParameterValue, 'Print the documentation of a finding code (IST0101, MSH1014, ...), as built into the binary; without a code, list every code')
            [CompletionResult]::new('completions', 'completions', [CompletionResultType]::ParameterValue, 'Print a shell completion script (bash, zsh, fish, powershell, elvish)')
            [CompletionResult]::new('man', 'man', [CompletionResultType]::ParameterValue, 'Print the man page (roff)')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'meshctl;validate' {
            [CompletionResult]::new('-f', '-f', [CompletionResultType]::ParameterName, 'A file, directory or http(s) URL to read, as with kubectl (repeatable)')
            [CompletionResult]::new('--filename', '--filename', [CompletionResultType]::ParameterName, 'A file, directory or http(s) URL to read, as with kubectl (repeatable)')
            [CompletionResult]::new('-k', '-k', [CompletionResultType]::ParameterName, 'A kustomization folder: read what `kubectl kustomize DIR` (or `kustomize build DIR`) renders, as `kubectl apply -k` would (repeatable)')
            [CompletionResult]::new('--kustomize', '--kustomize', [CompletionResultType]::ParameterName, 'A kustomization folder: read what `kubectl kustomize DIR` (or `kustomize build DIR`) renders, as `kubectl apply -k` would (repeatable)')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('--istio-version', '--istio-version', [CompletionResultType]::ParameterName, 'The Istio release the configuration is for: 1.28, 1.29, 1.30, 1.31 or 1.32 [default: 1.32, or `istioVersion` of .meshctl.yaml]. What that release does not serve is an error')
            [CompletionResult]::new('-S', '-S ', [CompletionResultType]::ParameterName, 'Suppress findings: `CODE=Kind namespace/name` (`Kind name` for cluster-scoped kinds); `*` and `?` are wildcards; MSH1100/MSH1101 name every admission error/warning. Repeatable')
            [CompletionResult]::new('--suppress', '--suppress', [CompletionResultType]::ParameterName, 'Suppress findings: `CODE=Kind namespace/name` (`Kind name` for cluster-scoped kinds); `*` and `?` are wildcards; MSH1100/MSH1101 name every admission error/warning. Repeatable')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Config file (default: the first .meshctl.yaml from the working directory upwards)')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to use colors: auto (a terminal, unless NO_COLOR is set), always, never')
            [CompletionResult]::new('-R', '-R ', [CompletionResultType]::ParameterName, 'Read directories recursively, as kubectl''s and istioctl''s -R ask: accepted so their command lines work unchanged; meshctl always reads directories recursively')
            [CompletionResult]::new('--recursive', '--recursive', [CompletionResultType]::ParameterName, 'Read directories recursively, as kubectl''s and istioctl''s -R ask: accepted so their command lines work unchanged; meshctl always reads directories recursively')
            [CompletionResult]::new('--strict', '--strict', [CompletionResultType]::ParameterName, 'Fail (exit 1) on warnings too')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            break
        }
        'meshctl;analyze' {
            [CompletionResult]::new('-f', '-f', [CompletionResultType]::ParameterName, 'A file, directory or http(s) URL to read, as with kubectl (repeatable)')
            [CompletionResult]::new('--filename', '--filename', [CompletionResultType]::ParameterName, 'A file, directory or http(s) URL to read, as with kubectl (repeatable)')
            [CompletionResult]::new('-k', '-k', [CompletionResultType]::ParameterName, 'A kustomization folder: read what `kubectl kustomize DIR` (or `kustomize build DIR`) renders, as `kubectl apply -k` would (repeatable)')
            [CompletionResult]::new('--kustomize', '--kustomize', [CompletionResultType]::ParameterName, 'A kustomization folder: read what `kubectl kustomize DIR` (or `kustomize build DIR`) renders, as `kubectl apply -k` would (repeatable)')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('--mesh-config', '--mesh-config', [CompletionResultType]::ParameterName, 'Istio MeshConfig (a YAML document of MeshConfig fields, or the `istio` ConfigMap); Istio''s defaults otherwise')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Config file (default: the first .meshctl.yaml from the working directory upwards)')
            [CompletionResult]::new('-S', '-S ', [CompletionResultType]::ParameterName, 'Suppress findings: `CODE=Kind namespace/name` (`Kind name` for cluster-scoped kinds); `*` and `?` are wildcards. Repeatable')
            [CompletionResult]::new('--suppress', '--suppress', [CompletionResultType]::ParameterName, 'Suppress findings: `CODE=Kind namespace/name` (`Kind name` for cluster-scoped kinds); `*` and `?` are wildcards. Repeatable')
            [CompletionResult]::new('--failure-threshold', '--failure-threshold', [CompletionResultType]::ParameterName, 'Exit 1 when a finding has at least this severity [default: error]')
            [CompletionResult]::new('--output-threshold', '--output-threshold', [CompletionResultType]::ParameterName, 'Print only findings of at least this severity [default: info]')
            [CompletionResult]::new('--baseline', '--baseline', [CompletionResultType]::ParameterName, 'Report only findings not recorded in this baseline file')
            [CompletionResult]::new('--write-baseline', '--write-baseline', [CompletionResultType]::ParameterName, 'Record today''s findings in FILE (then exit 0); use it later with --baseline')
            [CompletionResult]::new('--istio-version', '--istio-version', [CompletionResultType]::ParameterName, 'The Istio release the configuration is for: 1.28, 1.29, 1.30, 1.31 or 1.32 [default: 1.32, or `istioVersion` of .meshctl.yaml]. What that release does not serve is an error, and analyzers it does not have do not run')
            [CompletionResult]::new('--kubeconfig', '--kubeconfig', [CompletionResultType]::ParameterName, 'Path to the kubeconfig file (default: KUBECONFIG, then ~/.kube/config)')
            [CompletionResult]::new('--context', '--context', [CompletionResultType]::ParameterName, 'The kubeconfig context to use')
            [CompletionResult]::new('--request-timeout', '--request-timeout', [CompletionResultType]::ParameterName, 'How long to wait for each answer of the API server: 30s, 1m, 500ms')
            [CompletionResult]::new('-n', '-n', [CompletionResultType]::ParameterName, 'The namespace (default: the context''s namespace); namespace-less objects of files belong to it. Implies --kube, except for analyze and lint given files: there it only sets the namespace of the files'' namespace-less objects, as `kubectl apply -n` and `istioctl analyze --use-kube=false -n` do')
            [CompletionResult]::new('--namespace', '--namespace', [CompletionResultType]::ParameterName, 'The namespace (default: the context''s namespace); namespace-less objects of files belong to it. Implies --kube, except for analyze and lint given files: there it only sets the namespace of the files'' namespace-less objects, as `kubectl apply -n` and `istioctl analyze --use-kube=false -n` do')
            [CompletionResult]::new('--use-kube', '--use-kube', [CompletionResultType]::ParameterName, 'As istioctl: `--use-kube=false` never contacts a cluster (the files alone are checked), `--use-kube=true` is --kube')
            [CompletionResult]::new('--analyzer', '--analyzer', [CompletionResultType]::ParameterName, 'Run only this analyzer (repeatable; names as `--list` prints them)')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to use colors: auto (a terminal, unless NO_COLOR is set), always, never')
            [CompletionResult]::new('-R', '-R ', [CompletionResultType]::ParameterName, 'Read directories recursively, as kubectl''s and istioctl''s -R ask: accepted so their command lines work unchanged; meshctl always reads directories recursively')
            [CompletionResult]::new('--recursive', '--recursive', [CompletionResultType]::ParameterName, 'Read directories recursively, as kubectl''s and istioctl''s -R ask: accepted so their command lines work unchanged; meshctl always reads directories recursively')
            [CompletionResult]::new('-L', '-L ', [CompletionResultType]::ParameterName, 'Print the checks and codes this command runs, and exit')
            [CompletionResult]::new('--list', '--list', [CompletionResultType]::ParameterName, 'Print the checks and codes this command runs, and exit')
            [CompletionResult]::new('--list-analyzers', '--list-analyzers', [CompletionResultType]::ParameterName, 'Print the checks and codes this command runs, and exit')
            [CompletionResult]::new('--complete', '--complete', [CompletionResultType]::ParameterName, 'The input is complete: every object it refers to is in it. Without this flag an object the input says nothing about (a Service in a namespace with no Services in the input, a ServiceEntry, a DestinationRule, Istio''s own gateway Services) is assumed to exist; with it, an object not in the input does not exist')
            [CompletionResult]::new('--kube', '--kube', [CompletionResultType]::ParameterName, 'Read the live configuration from the Kubernetes cluster of the current context; files given too are overlaid on it (files win, by resource identity). Implied by --kubeconfig, --context, -n and -A')
            [CompletionResult]::new('-A', '-A ', [CompletionResultType]::ParameterName, 'Every namespace. Implies --kube')
            [CompletionResult]::new('--all-namespaces', '--all-namespaces', [CompletionResultType]::ParameterName, 'Every namespace. Implies --kube')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            break
        }
        'meshctl;lint' {
            [CompletionResult]::new('-f', '-f', [CompletionResultType]::ParameterName, 'A file, directory or http(s) URL to read, as with kubectl (repeatable)')
            [CompletionResult]::new('--filename', '--filename', [CompletionResultType]::ParameterName, 'A file, directory or http(s) URL to read, as with kubectl (repeatable)')
            [CompletionResult]::new('-k', '-k', [CompletionResultType]::ParameterName, 'A kustomization folder: read what `kubectl kustomize DIR` (or `kustomize build DIR`) renders, as `kubectl apply -k` would (repeatable)')
            [CompletionResult]::new('--kustomize', '--kustomize', [CompletionResultType]::ParameterName, 'A kustomization folder: read what `kubectl kustomize DIR` (or `kustomize build DIR`) renders, as `kubectl apply -k` would (repeatable)')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('--mesh-config', '--mesh-config', [CompletionResultType]::ParameterName, 'Istio MeshConfig (a YAML document of MeshConfig fields, or the `istio` ConfigMap); Istio''s defaults otherwise')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Config file (default: the first .meshctl.yaml from the working directory upwards)')
            [CompletionResult]::new('-S', '-S ', [CompletionResultType]::ParameterName, 'Suppress findings: `CODE=Kind namespace/name` (`Kind name` for cluster-scoped kinds); `*` and `?` are wildcards. Repeatable')
            [CompletionResult]::new('--suppress', '--suppress', [CompletionResultType]::ParameterName, 'Suppress findings: `CODE=Kind namespace/name` (`Kind name` for cluster-scoped kinds); `*` and `?` are wildcards. Repeatable')
            [CompletionResult]::new('--failure-threshold', '--failure-threshold', [CompletionResultType]::ParameterName, 'Exit 1 when a finding has at least this severity [default: error]')
            [CompletionResult]::new('--output-threshold', '--output-threshold', [CompletionResultType]::ParameterName, 'Print only findings of at least this severity [default: info]')
            [CompletionResult]::new('--baseline', '--baseline', [CompletionResultType]::ParameterName, 'Report only findings not recorded in this baseline file')
            [CompletionResult]::new('--write-baseline', '--write-baseline', [CompletionResultType]::ParameterName, 'Record today''s findings in FILE (then exit 0); use it later with --baseline')
            [CompletionResult]::new('--istio-version', '--istio-version', [CompletionResultType]::ParameterName, 'The Istio release the configuration is for: 1.28, 1.29, 1.30, 1.31 or 1.32 [default: 1.32, or `istioVersion` of .meshctl.yaml]. What that release does not serve is an error, and analyzers it does not have do not run')
            [CompletionResult]::new('--kubeconfig', '--kubeconfig', [CompletionResultType]::ParameterName, 'Path to the kubeconfig file (default: KUBECONFIG, then ~/.kube/config)')
            [CompletionResult]::new('--context', '--context', [CompletionResultType]::ParameterName, 'The kubeconfig context to use')
            [CompletionResult]::new('--request-timeout', '--request-timeout', [CompletionResultType]::ParameterName, 'How long to wait for each answer of the API server: 30s, 1m, 500ms')
            [CompletionResult]::new('-n', '-n', [CompletionResultType]::ParameterName, 'The namespace (default: the context''s namespace); namespace-less objects of files belong to it. Implies --kube, except for analyze and lint given files: there it only sets the namespace of the files'' namespace-less objects, as `kubectl apply -n` and `istioctl analyze --use-kube=false -n` do')
            [CompletionResult]::new('--namespace', '--namespace', [CompletionResultType]::ParameterName, 'The namespace (default: the context''s namespace); namespace-less objects of files belong to it. Implies --kube, except for analyze and lint given files: there it only sets the namespace of the files'' namespace-less objects, as `kubectl apply -n` and `istioctl analyze --use-kube=false -n` do')
            [CompletionResult]::new('--use-kube', '--use-kube', [CompletionResultType]::ParameterName, 'As istioctl: `--use-kube=false` never contacts a cluster (the files alone are checked), `--use-kube=true` is --kube')
            [CompletionResult]::new('--rule', '--rule', [CompletionResultType]::ParameterName, 'Run only this rule (repeatable; names as `--list` prints them)')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to use colors: auto (a terminal, unless NO_COLOR is set), always, never')
            [CompletionResult]::new('-R', '-R ', [CompletionResultType]::ParameterName, 'Read directories recursively, as kubectl''s and istioctl''s -R ask: accepted so their command lines work unchanged; meshctl always reads directories recursively')
            [CompletionResult]::new('--recursive', '--recursive', [CompletionResultType]::ParameterName, 'Read directories recursively, as kubectl''s and istioctl''s -R ask: accepted so their command lines work unchanged; meshctl always reads directories recursively')
            [CompletionResult]::new('-L', '-L ', [CompletionResultType]::ParameterName, 'Print the checks and codes this command runs, and exit')
            [CompletionResult]::new('--list', '--list', [CompletionResultType]::ParameterName, 'Print the checks and codes this command runs, and exit')
            [CompletionResult]::new('--list-analyzers', '--list-analyzers', [CompletionResultType]::ParameterName, 'Print the checks and codes this command runs, and exit')
            [CompletionResult]::new('--complete', '--complete', [CompletionResultType]::ParameterName, 'The input is complete: every object it refers to is in it. Without this flag an object the input says nothing about (a Service in a namespace with no Services in the input, a ServiceEntry, a DestinationRule, Istio''s own gateway Services) is assumed to exist; with it, an object not in the input does not exist')
            [CompletionResult]::new('--kube', '--kube', [CompletionResultType]::ParameterName, 'Read the live configuration from the Kubernetes cluster of the current context; files given too are overlaid on it (files win, by resource identity). Implied by --kubeconfig, --context, -n and -A')
            [CompletionResult]::new('-A', '-A ', [CompletionResultType]::ParameterName, 'Every namespace. Implies --kube')
            [CompletionResult]::new('--all-namespaces', '--all-namespaces', [CompletionResultType]::ParameterName, 'Every namespace. Implies --kube')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            break
        }
        'meshctl;route-test' {
            [CompletionResult]::new('-f', '-f', [CompletionResultType]::ParameterName, 'Istio and Kubernetes configuration: files, directories (recursively) or http(s) URLs, `-` for stdin (repeatable). With --kube, overlaid on the cluster''s configuration')
            [CompletionResult]::new('--filename', '--filename', [CompletionResultType]::ParameterName, 'Istio and Kubernetes configuration: files, directories (recursively) or http(s) URLs, `-` for stdin (repeatable). With --kube, overlaid on the cluster''s configuration')
            [CompletionResult]::new('--istio-version', '--istio-version', [CompletionResultType]::ParameterName, 'The Istio release the configuration is for: 1.28, 1.29, 1.30, 1.31 or 1.32 [default: 1.32]. Objects that release would reject are not routed')
            [CompletionResult]::new('-X', '-X ', [CompletionResultType]::ParameterName, 'HTTP method')
            [CompletionResult]::new('--request', '--request', [CompletionResultType]::ParameterName, 'HTTP method')
            [CompletionResult]::new('-H', '-H ', [CompletionResultType]::ParameterName, 'A request header, ''Name: value'' (repeatable). `Host:` sets the authority')
            [CompletionResult]::new('--header', '--header', [CompletionResultType]::ParameterName, 'A request header, ''Name: value'' (repeatable). `Host:` sets the authority')
            [CompletionResult]::new('--sni', '--sni', [CompletionResultType]::ParameterName, 'TLS server name (default: the URL''s host for https and tls)')
            [CompletionResult]::new('--gateway', '--gateway', [CompletionResultType]::ParameterName, 'Evaluate at this ingress gateway workload: NAMESPACE/LABEL=VALUE[,LABEL=VALUE...] (default istio-system/istio=ingressgateway when a Gateway in the input selects it, else the first Gateway''s selector in its namespace)')
            [CompletionResult]::new('--from', '--from', [CompletionResultType]::ParameterName, 'Evaluate at the sidecar of this caller workload: NAMESPACE/LABEL=VALUE[,...]. A workload (or, for --gateway, a gateway) the input does not have is a warning')
            [CompletionResult]::new('--tests', '--tests', [CompletionResultType]::ParameterName, 'Run the test cases in these files or directories (istio-config-validator files and meshctl''s native form)')
            [CompletionResult]::new('--fail-under', '--fail-under', [CompletionResultType]::ParameterName, 'With --tests: fail when route coverage is below this percentage')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('--kubeconfig', '--kubeconfig', [CompletionResultType]::ParameterName, 'Path to the kubeconfig file (default: KUBECONFIG, then ~/.kube/config)')
            [CompletionResult]::new('--context', '--context', [CompletionResultType]::ParameterName, 'The kubeconfig context to use')
            [CompletionResult]::new('--request-timeout', '--request-timeout', [CompletionResultType]::ParameterName, 'How long to wait for each answer of the API server: 30s, 1m, 500ms')
            [CompletionResult]::new('-n', '-n', [CompletionResultType]::ParameterName, 'The namespace (default: the context''s namespace); namespace-less objects of files belong to it. Implies --kube, except for analyze and lint given files: there it only sets the namespace of the files'' namespace-less objects, as `kubectl apply -n` and `istioctl analyze --use-kube=false -n` do')
            [CompletionResult]::new('--namespace', '--namespace', [CompletionResultType]::ParameterName, 'The namespace (default: the context''s namespace); namespace-less objects of files belong to it. Implies --kube, except for analyze and lint given files: there it only sets the namespace of the files'' namespace-less objects, as `kubectl apply -n` and `istioctl analyze --use-kube=false -n` do')
            [CompletionResult]::new('--use-kube', '--use-kube', [CompletionResultType]::ParameterName, 'As istioctl: `--use-kube=false` never contacts a cluster (the files alone are checked), `--use-kube=true` is --kube')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to use colors: auto (a terminal, unless NO_COLOR is set), always, never')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Print every candidate route and the full trace')
            [CompletionResult]::new('--explain', '--explain', [CompletionResultType]::ParameterName, 'Print every candidate route and the full trace')
            [CompletionResult]::new('--registry-only', '--registry-only', [CompletionResultType]::ParameterName, 'Outbound traffic policy REGISTRY_ONLY: requests to unknown hosts are blocked (502) instead of passed through')
            [CompletionResult]::new('--complete', '--complete', [CompletionResultType]::ParameterName, 'The input is complete: every object it refers to is in it. Without this flag an object the input says nothing about (a Service in a namespace with no Services in the input, a ServiceEntry, a DestinationRule, Istio''s own gateway Services) is assumed to exist; with it, an object not in the input does not exist')
            [CompletionResult]::new('--kube', '--kube', [CompletionResultType]::ParameterName, 'Read the live configuration from the Kubernetes cluster of the current context; files given too are overlaid on it (files win, by resource identity). Implied by --kubeconfig, --context, -n and -A')
            [CompletionResult]::new('-A', '-A ', [CompletionResultType]::ParameterName, 'Every namespace. Implies --kube')
            [CompletionResult]::new('--all-namespaces', '--all-namespaces', [CompletionResultType]::ParameterName, 'Every namespace. Implies --kube')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            break
        }
        'meshctl;diff' {
            [CompletionResult]::new('-f', '-f', [CompletionResultType]::ParameterName, 'With --kube: the new configuration, a file, directory or URL (repeatable)')
            [CompletionResult]::new('--filename', '--filename', [CompletionResultType]::ParameterName, 'With --kube: the new configuration, a file, directory or URL (repeatable)')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('--istio-version', '--istio-version', [CompletionResultType]::ParameterName, 'With --traffic: the Istio release the configuration is for (1.28 to 1.32) [default: 1.32]. Objects that release would reject are not routed')
            [CompletionResult]::new('--ignore-field', '--ignore-field', [CompletionResultType]::ParameterName, 'A field not to compare, e.g. `metadata.annotations` or `spec.http[*].timeout` (repeatable; `*` matches any key or list item)')
            [CompletionResult]::new('--kubeconfig', '--kubeconfig', [CompletionResultType]::ParameterName, 'Path to the kubeconfig file (default: KUBECONFIG, then ~/.kube/config)')
            [CompletionResult]::new('--context', '--context', [CompletionResultType]::ParameterName, 'The kubeconfig context to use')
            [CompletionResult]::new('--request-timeout', '--request-timeout', [CompletionResultType]::ParameterName, 'How long to wait for each answer of the API server: 30s, 1m, 500ms')
            [CompletionResult]::new('-n', '-n', [CompletionResultType]::ParameterName, 'The namespace (default: the context''s namespace); namespace-less objects of files belong to it. Implies --kube, except for analyze and lint given files: there it only sets the namespace of the files'' namespace-less objects, as `kubectl apply -n` and `istioctl analyze --use-kube=false -n` do')
            [CompletionResult]::new('--namespace', '--namespace', [CompletionResultType]::ParameterName, 'The namespace (default: the context''s namespace); namespace-less objects of files belong to it. Implies --kube, except for analyze and lint given files: there it only sets the namespace of the files'' namespace-less objects, as `kubectl apply -n` and `istioctl analyze --use-kube=false -n` do')
            [CompletionResult]::new('--use-kube', '--use-kube', [CompletionResultType]::ParameterName, 'As istioctl: `--use-kube=false` never contacts a cluster (the files alone are checked), `--use-kube=true` is --kube')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to use colors: auto (a terminal, unless NO_COLOR is set), always, never')
            [CompletionResult]::new('--traffic', '--traffic', [CompletionResultType]::ParameterName, 'Also report what the change does to traffic: probe requests derived from both configs whose routing outcome changed')
            [CompletionResult]::new('--findings', '--findings', [CompletionResultType]::ParameterName, 'Also say which analyzer findings the change introduces and which it resolves (both sides analyzed as `meshctl analyze` would). On by default with -o markdown')
            [CompletionResult]::new('--explain', '--explain', [CompletionResultType]::ParameterName, 'With --traffic: print the old and new routing trace of every changed request')
            [CompletionResult]::new('--exit-zero', '--exit-zero', [CompletionResultType]::ParameterName, 'Exit 0 even when there are differences (for reports)')
            [CompletionResult]::new('--kube', '--kube', [CompletionResultType]::ParameterName, 'Read the live configuration from the Kubernetes cluster of the current context; files given too are overlaid on it (files win, by resource identity). Implied by --kubeconfig, --context, -n and -A')
            [CompletionResult]::new('-A', '-A ', [CompletionResultType]::ParameterName, 'Every namespace. Implies --kube')
            [CompletionResult]::new('--all-namespaces', '--all-namespaces', [CompletionResultType]::ParameterName, 'Every namespace. Implies --kube')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            break
        }
        'meshctl;manifest' {
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to use colors: auto (a terminal, unless NO_COLOR is set), always, never')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('crds', 'crds', [CompletionResultType]::ParameterValue, 'Print the CustomResourceDefinitions of the Istio kinds, generated from meshctl''s model (the same schema `validate` checks against), ready for `kubectl apply --server-side`')
            [CompletionResult]::new('schemas', 'schemas', [CompletionResultType]::ParameterValue, 'Write a JSON Schema for every kind meshctl models (Istio, Kubernetes, Gateway API) and every version it serves, generated from the same model `validate` checks against, in the layout kubeconform and yaml-language-server read: DIR/GROUP/KIND_VERSION.json (core kinds under DIR/v1/). See docs/editors.md')
            [CompletionResult]::new('generate', 'generate', [CompletionResultType]::ParameterValue, 'Print every object an installation of the profile consists of (what `meshctl install` applies), in install order, without a cluster')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'meshctl;manifest;crds' {
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to use colors: auto (a terminal, unless NO_COLOR is set), always, never')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            break
        }
        'meshctl;manifest;schemas' {
            [CompletionResult]::new('--istio-version', '--istio-version', [CompletionResultType]::ParameterName, 'The Istio release the schemas are for (fields and values it does not serve are left out): 1.28, 1.29, 1.30, 1.31 or 1.32 [default: 1.32, or `istioVersion` of .meshctl.yaml]')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'The directory to write to (created if missing; existing schemas are overwritten)')
            [CompletionResult]::new('--output-dir', '--output-dir', [CompletionResultType]::ParameterName, 'The directory to write to (created if missing; existing schemas are overwritten)')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to use colors: auto (a terminal, unless NO_COLOR is set), always, never')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            break
        }
        'meshctl;manifest;generate' {
            [CompletionResult]::new('--profile', '--profile', [CompletionResultType]::ParameterName, 'The installation profile [default: default; for verify, the profile recorded at installation]')
            [CompletionResult]::new('--set', '--set', [CompletionResultType]::ParameterName, 'A setting, Istio''s names: hub, tag, revision, meshConfig.FIELD, values.pilot.resources.requests.cpu, components.egressGateways[0].enabled, ... (repeatable; applied after -f)')
            [CompletionResult]::new('-f', '-f', [CompletionResultType]::ParameterName, 'An IstioOperator overlay file (its spec: profile, hub, tag, revision, meshConfig, values, components); repeatable, applied in order')
            [CompletionResult]::new('--filename', '--filename', [CompletionResultType]::ParameterName, 'An IstioOperator overlay file (its spec: profile, hub, tag, revision, meshConfig, values, components); repeatable, applied in order')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'The Istio release whose images to use: a patch release (such as 1.30.8) of a release --istio-version accepts; default 1.28.3, the release tested against a real istiod. The same as --set tag=VERSION, which takes any tag')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to use colors: auto (a terminal, unless NO_COLOR is set), always, never')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            break
        }
        'meshctl;manifest;help' {
            [CompletionResult]::new('crds', 'crds', [CompletionResultType]::ParameterValue, 'Print the CustomResourceDefinitions of the Istio kinds, generated from meshctl''s model (the same schema `validate` checks against), ready for `kubectl apply --server-side`')
            [CompletionResult]::new('schemas', 'schemas', [CompletionResultType]::ParameterValue, 'Write a JSON Schema for every kind meshctl models (Istio, Kubernetes, Gateway API) and every version it serves, generated from the same model `validate` checks against, in the layout kubeconform and yaml-language-server read: DIR/GROUP/KIND_VERSION.json (core kinds under DIR/v1/). See docs/editors.md')
            [CompletionResult]::new('generate', 'generate', [CompletionResultType]::ParameterValue, 'Print every object an installation of the profile consists of (what `meshctl install` applies), in install order, without a cluster')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'meshctl;manifest;help;crds' {
            break
        }
        'meshctl;manifest;help;schemas' {
            break
        }
        'meshctl;manifest;help;generate' {
            break
        }
        'meshctl;manifest;help;help' {
            break
        }
        'meshctl;precheck' {
            [CompletionResult]::new('--profile', '--profile', [CompletionResultType]::ParameterName, 'The profile to be installed (its pods'' requests are checked against the nodes)')
            [CompletionResult]::new('--istio-namespace', '--istio-namespace', [CompletionResultType]::ParameterName, 'The namespace the control plane goes into')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('--kubeconfig', '--kubeconfig', [CompletionResultType]::ParameterName, 'Path to the kubeconfig file (default: KUBECONFIG, then ~/.kube/config)')
            [CompletionResult]::new('--context', '--context', [CompletionResultType]::ParameterName, 'The kubeconfig context to use')
            [CompletionResult]::new('--request-timeout', '--request-timeout', [CompletionResultType]::ParameterName, 'How long to wait for each answer of the API server: 30s, 1m, 500ms')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to use colors: auto (a terminal, unless NO_COLOR is set), always, never')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            break
        }
        'meshctl;install' {
            [CompletionResult]::new('--profile', '--profile', [CompletionResultType]::ParameterName, 'The installation profile [default: default; for verify, the profile recorded at installation]')
            [CompletionResult]::new('--set', '--set', [CompletionResultType]::ParameterName, 'A setting, Istio''s names: hub, tag, revision, meshConfig.FIELD, values.pilot.resources.requests.cpu, components.egressGateways[0].enabled, ... (repeatable; applied after -f)')
            [CompletionResult]::new('-f', '-f', [CompletionResultType]::ParameterName, 'An IstioOperator overlay file (its spec: profile, hub, tag, revision, meshConfig, values, components); repeatable, applied in order')
            [CompletionResult]::new('--filename', '--filename', [CompletionResultType]::ParameterName, 'An IstioOperator overlay file (its spec: profile, hub, tag, revision, meshConfig, values, components); repeatable, applied in order')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'The Istio release whose images to use: a patch release (such as 1.30.8) of a release --istio-version accepts; default 1.28.3, the release tested against a real istiod. The same as --set tag=VERSION, which takes any tag')
            [CompletionResult]::new('--readiness-timeout', '--readiness-timeout', [CompletionResultType]::ParameterName, 'How long to wait for each component to become ready: 5m, 90s')
            [CompletionResult]::new('--kubeconfig', '--kubeconfig', [CompletionResultType]::ParameterName, 'Path to the kubeconfig file (default: KUBECONFIG, then ~/.kube/config)')
            [CompletionResult]::new('--context', '--context', [CompletionResultType]::ParameterName, 'The kubeconfig context to use')
            [CompletionResult]::new('--request-timeout', '--request-timeout', [CompletionResultType]::ParameterName, 'How long to wait for each answer of the API server: 30s, 1m, 500ms')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to use colors: auto (a terminal, unless NO_COLOR is set), always, never')
            [CompletionResult]::new('-y', '-y', [CompletionResultType]::ParameterName, 'Do not ask for confirmation')
            [CompletionResult]::new('--skip-confirmation', '--skip-confirmation', [CompletionResultType]::ParameterName, 'Do not ask for confirmation')
            [CompletionResult]::new('--dry-run', '--dry-run', [CompletionResultType]::ParameterName, 'Send everything as a server-side dry run: the API server checks every object, nothing is stored, nothing is waited for')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            break
        }
        'meshctl;uninstall' {
            [CompletionResult]::new('--revision', '--revision', [CompletionResultType]::ParameterName, 'Remove only this control-plane revision (its istiod, webhooks, mesh config and record; `default` for the unnamed one), keeping Istio core and the other revisions')
            [CompletionResult]::new('--kubeconfig', '--kubeconfig', [CompletionResultType]::ParameterName, 'Path to the kubeconfig file (default: KUBECONFIG, then ~/.kube/config)')
            [CompletionResult]::new('--context', '--context', [CompletionResultType]::ParameterName, 'The kubeconfig context to use')
            [CompletionResult]::new('--request-timeout', '--request-timeout', [CompletionResultType]::ParameterName, 'How long to wait for each answer of the API server: 30s, 1m, 500ms')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to use colors: auto (a terminal, unless NO_COLOR is set), always, never')
            [CompletionResult]::new('--purge', '--purge', [CompletionResultType]::ParameterName, 'Also remove the Istio CRDs (and so every VirtualService, Gateway, ... in the cluster)')
            [CompletionResult]::new('-y', '-y', [CompletionResultType]::ParameterName, 'Do not ask for confirmation')
            [CompletionResult]::new('--skip-confirmation', '--skip-confirmation', [CompletionResultType]::ParameterName, 'Do not ask for confirmation')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            break
        }
        'meshctl;verify' {
            [CompletionResult]::new('--profile', '--profile', [CompletionResultType]::ParameterName, 'The installation profile [default: default; for verify, the profile recorded at installation]')
            [CompletionResult]::new('--set', '--set', [CompletionResultType]::ParameterName, 'A setting, Istio''s names: hub, tag, revision, meshConfig.FIELD, values.pilot.resources.requests.cpu, components.egressGateways[0].enabled, ... (repeatable; applied after -f)')
            [CompletionResult]::new('-f', '-f', [CompletionResultType]::ParameterName, 'An IstioOperator overlay file (its spec: profile, hub, tag, revision, meshConfig, values, components); repeatable, applied in order')
            [CompletionResult]::new('--filename', '--filename', [CompletionResultType]::ParameterName, 'An IstioOperator overlay file (its spec: profile, hub, tag, revision, meshConfig, values, components); repeatable, applied in order')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'The Istio release whose images to use: a patch release (such as 1.30.8) of a release --istio-version accepts; default 1.28.3, the release tested against a real istiod. The same as --set tag=VERSION, which takes any tag')
            [CompletionResult]::new('--kubeconfig', '--kubeconfig', [CompletionResultType]::ParameterName, 'Path to the kubeconfig file (default: KUBECONFIG, then ~/.kube/config)')
            [CompletionResult]::new('--context', '--context', [CompletionResultType]::ParameterName, 'The kubeconfig context to use')
            [CompletionResult]::new('--request-timeout', '--request-timeout', [CompletionResultType]::ParameterName, 'How long to wait for each answer of the API server: 30s, 1m, 500ms')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to use colors: auto (a terminal, unless NO_COLOR is set), always, never')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            break
        }
        'meshctl;lsp' {
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to use colors: auto (a terminal, unless NO_COLOR is set), always, never')
            [CompletionResult]::new('--stdio', '--stdio', [CompletionResultType]::ParameterName, 'Talk over standard input and output (the default and only transport; accepted because editors pass it)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            break
        }
        'meshctl;explain' {
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to use colors: auto (a terminal, unless NO_COLOR is set), always, never')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            break
        }
        'meshctl;completions' {
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to use colors: auto (a terminal, unless NO_COLOR is set), always, never')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            break
        }
        'meshctl;man' {
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to use colors: auto (a terminal, unless NO_COLOR is set), always, never')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            break
        }
        'meshctl;help' {
            [CompletionResult]::new('validate', 'validate', [CompletionResultType]::ParameterValue, 'Validate Istio and Kubernetes resources: structure, schema and Istio''s admission rules')
            [CompletionResult]::new('analyze', 'analyze', [CompletionResultType]::ParameterValue, 'Analyze resources together: Istio''s analyzers (IST codes), shadowed routes, and validate''s per-object findings; on files offline, or on the live cluster (no files, or --kube; files are then overlaid)')
            [CompletionResult]::new('lint', 'lint', [CompletionResultType]::ParameterValue, 'Check resources against best-practice rules (MSH2xxx)')
            [CompletionResult]::new('route-test', 'route-test', [CompletionResultType]::ParameterValue, 'Which gateway, VirtualService rule and destination a request hits, and why; or run a suite of routing test cases with coverage')
            [CompletionResult]::new('diff', 'diff', [CompletionResultType]::ParameterValue, 'Compare two config sets by resource (added, removed, changed fields), and with --traffic what the change does to routing')
            [CompletionResult]::new('manifest', 'manifest', [CompletionResultType]::ParameterValue, 'Render objects from meshctl''s model without a cluster (the Istio CRDs)')
            [CompletionResult]::new('precheck', 'precheck', [CompletionResultType]::ParameterValue, 'Check whether Istio can be installed in the cluster: Kubernetes version, permissions, an existing control plane, room on the nodes')
            [CompletionResult]::new('install', 'install', [CompletionResultType]::ParameterValue, 'Install Istio into the cluster (minimal, default or demo profile) and wait until it is ready')
            [CompletionResult]::new('uninstall', 'uninstall', [CompletionResultType]::ParameterValue, 'Remove what meshctl installed (--purge: the Istio CRDs too)')
            [CompletionResult]::new('verify', 'verify', [CompletionResultType]::ParameterValue, 'Check an installation: every object there, unmodified and ready, webhooks wired')
            [CompletionResult]::new('lsp', 'lsp', [CompletionResultType]::ParameterValue, 'Run the language server (Language Server Protocol over standard input and output): validate and analyze findings as you type, field documentation on hover, "did you mean" quick fixes. See docs/editors.md')
            [CompletionResult]::new('explain', 'explain', [CompletionResultType]::ParameterValue, 'Print the documentation of a finding code (IST0101, MSH1014, ...), as built into the binary; without a code, list every code')
            [CompletionResult]::new('completions', 'completions', [CompletionResultType]::ParameterValue, 'Print a shell completion script (bash, zsh, fish, powershell, elvish)')
            [CompletionResult]::new('man', 'man', [CompletionResultType]::ParameterValue, 'Print the man page (roff)')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'meshctl;help;validate' {
            break
        }
        'meshctl;help;analyze' {
            break
        }
        'meshctl;help;lint' {
            break
        }
        'meshctl;help;route-test' {
            break
        }
        'meshctl;help;diff' {
            break
        }
        'meshctl;help;manifest' {
            [CompletionResult]::new('crds', 'crds', [CompletionResultType]::ParameterValue, 'Print the CustomResourceDefinitions of the Istio kinds, generated from meshctl''s model (the same schema `validate` checks against), ready for `kubectl apply --server-side`')
            [CompletionResult]::new('schemas', 'schemas', [CompletionResultType]::ParameterValue, 'Write a JSON Schema for every kind meshctl models (Istio, Kubernetes, Gateway API) and every version it serves, generated from the same model `validate` checks against, in the layout kubeconform and yaml-language-server read: DIR/GROUP/KIND_VERSION.json (core kinds under DIR/v1/). See docs/editors.md')
            [CompletionResult]::new('generate', 'generate', [CompletionResultType]::ParameterValue, 'Print every object an installation of the profile consists of (what `meshctl install` applies), in install order, without a cluster')
            break
        }
        'meshctl;help;manifest;crds' {
            break
        }
        'meshctl;help;manifest;schemas' {
            break
        }
        'meshctl;help;manifest;generate' {
            break
        }
        'meshctl;help;precheck' {
            break
        }
        'meshctl;help;install' {
            break
        }
        'meshctl;help;uninstall' {
            break
        }
        'meshctl;help;verify' {
            break
        }
        'meshctl;help;lsp' {
            break
        }
        'meshctl;help;explain' {
            break
        }
        'meshctl;help;completions' {
            break
        }
        'meshctl;help;man' {
            break
        }
        'meshctl;help;help' {
            break
        }
    })

    $completions.Where{ $_.CompletionText -like "$wordToComplete*" } |
        Sort-Object -Property ListItemText
}
