# Broken copies of the nerc-rates files: each error named with file:line,
# exit status 2 (a configuration error), nothing written.
r="$DATA/nerc-rates/rates.yaml"
o="$DATA/nerc-rates/outages.yaml"
run() {
	usage-aggregate --month 2024-02 --rates "$1" ${2:+--outages "$2"} \
	    </dev/null >out.jsonl && echo "$1: exit 0" || echo "$1: exit $?"
	[ -s out.jsonl ] && echo "$1: wrote output" || :
}
sed 's/^- name: GPUA100 SU Rate/- name: CPU SU Rate/' "$r" >dup-name.yaml
run dup-name.yaml
sed '/^- name: GPUH100 SU Rate/,/^$/s/from: 2025-06/from: 2025-05/' "$r" >overlap.yaml
run overlap.yaml
sed '/^- name: NESE Storage GB Rate/,/^$/s/until: 2024-05/until: 2023-05/' "$r" >until-before.yaml
run until-before.yaml
sed 's/value: "0.013"/value: "0.013 USD"/; s/value: "False"/value: "no"/' "$r" >bad-values.yaml
run bad-values.yaml
sed 's/type: "bool"/type: "boolean"/' "$r" >bad-type.yaml
run bad-type.yaml
sed '0,/from: 2023-06$/s//from: June 2023/' "$r" >bad-month.yaml
run bad-month.yaml
printf -- '- name: x\n  type: "Decimal"\n  history: [ value: 1\n' >broken.yaml
run broken.yaml
sed 's/"2025-10-14T21:00:00Z"/"2025-10-14T21:00:00"/' "$o" >no-zone.yaml
run "$r" no-zone.yaml | sed "s|$r|rates.yaml|"
sed 's/"2025-10-14T21:00:00Z"/"2025-10-14T11:00:00Z"/' "$o" >until-first.yaml
run "$r" until-first.yaml | sed "s|$r|rates.yaml|"
run missing.yaml
