# bash completion for odflash(1)            -*- shell-script -*-
# Installed as share/bash-completion/completions/odflash.

_odflash_devices()
{
	local d
	for d in /dev/sr[0-9]* /dev/sg[0-9]* /dev/disk/by-id/*; do
		[ -e "$d" ] && printf '%s\n' "$d"
	done
	local IFS=':,'
	for d in ${ODFLASH_EMU:-}; do
		[ -n "$d" ] && printf 'emu:%s\n' "$d"
	done
}

_odflash()
{
	local cur prev cmd i
	COMPREPLY=()
	cur=${COMP_WORDS[COMP_CWORD]}
	prev=${COMP_WORDS[COMP_CWORD-1]}
	local commands="scan info identify dump flash verify recover history"
	local globals="-v -vv -vvv --verbose --json --events -q --quiet -h --help --version"

	cmd=
	for ((i = 1; i < COMP_CWORD; i++)); do
		case ${COMP_WORDS[i]} in
		-*) ;;
		*) cmd=${COMP_WORDS[i]}; break ;;
		esac
	done

	if [ -z "$cmd" ]; then
		if [[ $cur == -* ]]; then
			COMPREPLY=($(compgen -W "$globals" -- "$cur"))
		else
			COMPREPLY=($(compgen -W "$commands" -- "$cur"))
		fi
		return 0
	fi

	case $prev in
	-o|--output|--backup)
		COMPREPLY=($(compgen -f -- "$cur")); return 0 ;;
	--chunk)
		COMPREPLY=($(compgen -W "2k 16k 32k 64k" -- "$cur")); return 0 ;;
	esac

	local opts=""
	case $cmd in
	scan) opts="--json" ;;
	history) opts="--device -n --json" ;;
	info) opts="--json" ;;
	identify) opts="--json" ;;
	dump) opts="-o --output --raw --chunk --json --all --model --revision" ;;
	flash) opts="-y --yes --dry-run --no-backup --backup --crossflash --chunk --bootcode --yes-bootcode --json --all --model --revision --skip-current" ;;
	verify) opts="--json --all --model --revision" ;;
	recover) opts="-y --yes --chunk --crossflash --eject --json" ;;
	*) return 0 ;;
	esac
	if [[ $cur == -* ]]; then
		COMPREPLY=($(compgen -W "$opts $globals" -- "$cur"))
		return 0
	fi

	# positional arguments: count the non-option words after the command
	local npos=0 skip=0
	for ((i = i + 1; i < COMP_CWORD; i++)); do
		if [ $skip = 1 ]; then skip=0; continue; fi
		case ${COMP_WORDS[i]} in
		-o|--output|--backup|--chunk|--device|-n) skip=1 ;;
		-*) ;;
		*) npos=$((npos + 1)) ;;
		esac
	done
	case $cmd in
	info|dump|flash|verify|recover)
		if [ $npos -eq 0 ]; then
			COMPREPLY=($(compgen -W "$(_odflash_devices)" -- "$cur"))
			[[ $cur == emu:* ]] && COMPREPLY+=($(compgen -f -P emu: -- "${cur#emu:}"))
		else
			COMPREPLY=($(compgen -f -- "$cur"))
		fi ;;
	identify)
		COMPREPLY=($(compgen -f -- "$cur")) ;;
	esac
	return 0
}
complete -o filenames -F _odflash odflash
