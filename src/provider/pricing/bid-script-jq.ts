/**
 * The jq half of the generated bid script: validates the order exactly as the `BidOrder` zod
 * schema does, looks prices up in the config exactly as exact-quote.ts does, and prints the
 * order's log record (one JSON line, `OrderLogLine`; complete with decision and code when jq
 * refuses the order), then either `NOBID<TAB>reason` or `BC` followed by a `bc` program over
 * integers only. Refusals carry the same code as exact-quote.ts. Keep this file and
 * exact-quote.ts in step; the agreement test (bid-script.agreement.test.ts) holds them to it.
 *
 * Only validated integers and config digit strings ever reach the bc program, so nothing an
 * order contains can be executed.
 */
export const JQ_PROGRAM = String.raw`
def no(c; m): error({c: c, m: m});
def bad(m): no("order_not_understood"; "order not understood: " + m);
def u(name): if type == "number" and . >= 0 and . == floor and . <= 9007199254740991 then tostring else bad(name + " must be a whole number") end;
def optu(name): if . == null then "0" else u(name) end;
def optstr: . == null or type == "string";
def present: type == "string" and length > 0;
def digits: if type == "string" and test("^[0-9]{1,40}$") then . else no("config_damaged"; "pricing config damaged") end;
def vendors:
  if . == null then null
  elif type != "object" then bad("gpu.attributes")
  else .vendor as $v
    | if $v == null then null
      elif ($v | type) != "object" then bad("gpu.attributes.vendor")
      else ([$v[] | if type == "object" and (.model | present) and (.ram | optstr) and (.interface | optstr) then . else bad("gpu vendor attributes") end] | $v)
      end
  end;
def gpuprice($v; $c):
  (if $v != null and ($v | has("nvidia")) then $v.nvidia else null end) as $nv
  | (if $nv == null then [] else
      ($nv.model) as $m | ($nv.ram | present) as $hr | ($nv.interface | present) as $hi
      | [ $m + (if $hr then "." + $nv.ram else "" end) + (if $hi then "." + $nv.interface else "" end),
          (if $hr and $hi then $m + "." + $nv.ram else $m end),
          $m ]
    end) as $keys
  | ([$keys[] | $c.gpu[.] // empty] | .[0] // $c.gpuDefault)
  | if . == null then no("gpu_not_priced"; "GPU model not priced: no bid") else digits end;
def vol($c):
  if type != "object" then bad("storage entry") else . end
  | (.size | u("storage.size")) as $sz
  | (if .class == null then "ephemeral" elif (.class | present) then .class else bad("storage.class") end) as $cls
  | ($c.storage[$cls] // $c.storageOther | digits) as $pr
  | $sz + "*" + $pr + "*k";
def res($c):
  if type != "object" then bad("resource") else . end
  | (.cpu | u("cpu")) as $cpu
  | (.memory | u("memory")) as $mem
  | (.count | u("count")) as $n
  | (.endpoint_quantity | optu("endpoint_quantity")) as $ep
  | (.ip_lease_quantity | optu("ip_lease_quantity")) as $ip
  | (if .storage == null then [] elif (.storage | type) == "array" then [.storage[] | vol($c)] else bad("storage") end) as $vols
  | .gpu as $g
  | (if $g == null then {units: "0", v: null}
     elif ($g | type) == "object" then {units: ($g.units | u("gpu.units")), v: ($g.attributes | vendors)}
     else bad("gpu") end) as $gi
  | (if $gi.units == "0" then "0" else gpuprice($gi.v; $c) end) as $gp
  | $n + "*(" + $cpu + "*" + ($c.cpu | digits) + "*g+" + $mem + "*" + ($c.memory | digits) + "*k"
    + ($vols | map("+" + .) | join(""))
    + "+" + $ep + "*" + ($c.endpoint | digits) + "*k*g+" + $ip + "*" + ($c.ip | digits) + "*k*g+"
    + $gi.units + "*" + $gp + "*k*g)";
def main($c; $now):
  if ($c | type) != "object" or $c.v != 1 then no("config_damaged"; "pricing config damaged") else . end
  | if $c.paused == true then no("paused"; if ($c.pausedReason | present) then $c.pausedReason else "paused: no new bids" end) else . end
  | if type != "object" then bad("not an object") else . end
  | if (.price | type) != "object" or (.price.denom | type) != "string" or (.price.denom | length) < 1 or (.price.denom | length) > 128 then bad("price.denom") else . end
  | if (.price.amount | type) != "string" or (.price.amount | test("^[0-9]{1,30}(\\.[0-9]{1,18})?$") | not) then bad("price.amount") else . end
  | (.price_precision as $pp | if $pp == null then 6 elif ($pp | type) == "number" and $pp == ($pp | floor) and $pp >= 0 and $pp <= 18 then $pp else bad("price_precision") end) as $p
  | if (.resources | type) != "array" or (.resources | length) > 1000 then bad("resources") else . end
  | [.resources[] | if type == "object" then (.cpu | u("cpu")), (.memory | u("memory")), (.count | u("count")), (.endpoint_quantity | optu("e")), (.ip_lease_quantity | optu("i")), (if .storage == null then 0 elif (.storage | type) == "array" then (.storage[] | if type == "object" then (.size | u("storage.size")), (if .class == null or (.class | present) then 0 else bad("storage.class") end) else bad("storage entry") end) else bad("storage") end), (if .gpu == null then 0 elif (.gpu | type) == "object" then (.gpu.units | u("gpu.units")), (.gpu.attributes | vendors) else bad("gpu") end) else bad("resource") end] as $checked
  | .price.denom as $d
  | (if any($c.usdDenoms[]; . == $d) then "usd" elif $d == "uakt" then "akt" else no("denom_not_supported"; "denom not supported: " + $d) end) as $kind
  | if $kind == "akt" and $c.aktUsdNano == null then no("no_akt_rate"; "no AKT price known: no uakt bids")
    elif $kind == "akt" and ($now - $c.rateAt) > $c.rateMaxAgeS then no("stale_akt_rate"; "AKT price is too old: no uakt bids until RigLease refreshes it")
    else . end
  | [.resources[] | res($c)] as $terms
  | ["BC " + .price.amount, "scale=0", "k=1000", "g=1073741824", "s=0"]
    + ($terms | map("s=s+" + .))
    + ["p=" + ($p | tostring), "n=s*730488*10^p", "d=g*10^12*429909"]
    + (if $kind == "akt" then ["n=n*10^9", "d=d*" + ($c.aktUsdNano | digits)] else [] end)
    + ["q=(n+d-1)/d", "a=" + .price.amount, "o=0", "if (q > a*10^p) o=1", "q", "o", "scale=p", "q/10^p"]
  | join("\n");
def clip: if type == "string" then .[0:128] else null end;
def count0: if type == "number" and . >= 0 then . else null end;
def attr(k): if type == "object" then .[k] | clip else null end;
def gpuinfo:
  [.resources[] | select(type == "object") | . as $r
   | select(($r.gpu | type) == "object" and ($r.gpu.units | count0) != null and $r.gpu.units > 0)
   | ($r.gpu.attributes | if type == "object" then .vendor else null end) as $v
   | (if ($v | type) == "object" and ($v | length) > 0
      then [$v | to_entries[] | {vendor: (.key | clip), model: (.value | attr("model")), ram: (.value | attr("ram")), interface: (.value | attr("interface"))}]
      else [{vendor: null, model: null}] end)[]
   | . + {units: ($r.gpu.units * (($r.count | count0) // 1))}]
  | .[0:8];
def info:
  if type != "object" then {} else
    {denom: (.price | attr("denom")), maxPrice: (.price | attr("amount")),
     gpus: (try gpuinfo catch null),
     cpuMilli: (try ([.resources[] | .cpu * .count] | add // 0 | count0) catch null),
     memoryBytes: (try ([.resources[] | .memory * .count] | add // 0 | count0) catch null)}
    | with_entries(select(.value != null))
  end;
[inputs] as $all
| ({v: 1, t: $now}
   + (if ($owner | test("^akash1[0-9a-z]{6,90}$")) then {owner: $owner} else {} end)
   + (if ($all | length) == 1 then ($all[0] | try info catch {}) else {} end)) as $rec
| (if ($all | length) != 1 then {c: "order_not_understood", m: "order not understood: expected one JSON object"}
   else ($all[0] | try main($cfg[0]; $now) catch (if type == "object" and has("c") then . else {c: "order_not_understood", m: tostring} end))
   end) as $plan
| if ($plan | type) == "object"
  then ($rec + {decision: "refused", code: $plan.c, reason: $plan.m} | tojson) + "\nNOBID\t" + $plan.m
  else ($rec | tojson) + "\n" + $plan
  end
`;
