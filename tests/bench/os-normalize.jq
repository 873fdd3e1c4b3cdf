# The projection os-normalize makes of compute/servers pages, in jq, for
# the benchmark: the same fields and names, times cut to the second.  Other
# records pass through.
def t:
  if . == null or . == "" then null
  else sub("\\.[0-9]+"; "") | sub(" "; "T")
    | if test("(Z|[+-][0-9:]+)$") then . else . + "Z" end
  end;
def gpus:
  if type != "object" then {count: null, alias: null}
  else (.["pci_passthrough:alias"] // "" | split(",")
        | map(select(. != "") | split(":"))) as $a
    | (.["resources:VGPU"] // "0" | tonumber) as $v
    | {count: (($a | map(.[1] // "1" | tonumber) | add // 0) + $v),
       alias: (if ($a | length) > 0 then $a | map(.[0]) | join(",")
               elif $v > 0 then "VGPU" else null end)}
  end;
if .type == "page" and .service == "compute" and .resource == "servers" then
  . as $p
  | .body.servers[]
  | (.flavor.extra_specs | gpus) as $g
  | {type: "instance", id, region: $p.region,
     observed_at: ($p.fetched_at | t), run_id: $p.run_id,
     name, project_id: .tenant_id, user_id, status,
     vm_state: .["OS-EXT-STS:vm_state"],
     task_state: .["OS-EXT-STS:task_state"],
     power_state: .["OS-EXT-STS:power_state"],
     flavor_id: .flavor.id, flavor_name: .flavor.original_name,
     vcpus: .flavor.vcpus, ram_mb: .flavor.ram, disk_gb: .flavor.disk,
     ephemeral_gb: .flavor.ephemeral,
     gpu_count: $g.count, gpu_alias: $g.alias,
     created_at: (.created | t), updated_at: (.updated | t),
     launched_at: (.["OS-SRV-USG:launched_at"] | t),
     terminated_at: (.["OS-SRV-USG:terminated_at"] | t),
     deleted_at: (if .status == "DELETED"
                  then .["OS-SRV-USG:terminated_at"] | t else null end),
     host: .["OS-EXT-SRV-ATTR:host"],
     availability_zone: .["OS-EXT-AZ:availability_zone"],
     image_id: (.image | if type == "object" then .id else null end)}
else . end
