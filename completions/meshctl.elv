
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
            cand completions 'Print a shell completion script (bash, zsh, fish, powershell, elvish)'
            cand man 'Print the man page (roff)'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'meshctl;validate'= {
            cand -f 'A file or directory to validate, as with kubectl (repeatable)'
            cand --filename 'A file or directory to validate, as with kubectl (repeatable)'
            cand -o 'Output format'
            cand --output 'Output format'
            cand --color 'When to use colors: auto (a terminal, unless NO_COLOR is set), always, never'
            cand --strict 'Fail (exit 1) on warnings too'
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
            cand completions 'Print a shell completion script (bash, zsh, fish, powershell, elvish)'
            cand man 'Print the man page (roff)'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'meshctl;help;validate'= {
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
