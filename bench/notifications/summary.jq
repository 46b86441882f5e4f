# Prints the JSON lines of bench/notifications/run as a summary with the ratios of the
# notifications service ("surplus") to the ws server ("ws"). A missing figure shows as n/a.
def pick($server; $scenario):
  map(select(.server == $server and .scenario == $scenario)) | first // {};
def show: if . == null then "n/a" elif type == "number" then (. * 10 | round / 10 | tostring) else tostring end;
def ratio($a; $b): if $a == null or $b == null or $b == 0 then "n/a" else ($a / $b * 100 | round / 100 | tostring) end;

pick("surplus"; "memory") as $m
| pick("surplus-beast"; "memory") as $mb
| pick("ws"; "memory") as $mw
| pick("surplus"; "fanout") as $f
| pick("ws"; "fanout") as $fw
| pick("surplus"; "throughput") as $t
| pick("ws"; "throughput") as $tw
| pick("surplus"; "rate") as $r
| pick("ws"; "rate") as $rw
| "memory, bytes per subscribed connection (\($m.subscribed | show) / \($mw.subscribed | show) connections):",
  "  surplus \($m.bytes_per_connection | show), surplus on Beast framing \($mb.bytes_per_connection | show), ws \($mw.bytes_per_connection | show); surplus/ws \(ratio($m.bytes_per_connection; $mw.bytes_per_connection))",
  "fan-out to \($f.subscribers | show) subscribers, \($f.events | show) events, latency in ms (complete: \($f.complete | show) / \($fw.complete | show)):",
  "  surplus p50 \($f.latency.p50_ms | show) p99 \($f.latency.p99_ms | show) max \($f.latency.max_ms | show)",
  "  ws      p50 \($fw.latency.p50_ms | show) p99 \($fw.latency.p99_ms | show) max \($fw.latency.max_ms | show)",
  "  p99 surplus/ws \(ratio($f.latency.p99_ms; $fw.latency.p99_ms))",
  "throughput, \($t.events | show) events to \($t.subscribers_per_channel | show) subscribers per channel (complete: \($t.complete | show) / \($tw.complete | show)):",
  "  surplus ingested \($t.ingested_per_second | show)/s, fanned out \($t.fanned_out_per_second | show)/s, latency p99 \($t.latency.p99_ms | show) ms",
  "  ws      ingested \($tw.ingested_per_second | show)/s, fanned out \($tw.fanned_out_per_second | show)/s, latency p99 \($tw.latency.p99_ms | show) ms",
  "  fanned out surplus/ws \(ratio($t.fanned_out_per_second; $tw.fanned_out_per_second))",
  "sustained rate, events per second with p99 delivery latency under \($r.max_p99_ms | show) ms (\($r.seconds_per_step | show) s per rate):",
  "  surplus \($r.sustained_per_second | show), ws \($rw.sustained_per_second | show); surplus/ws \(ratio($r.sustained_per_second; $rw.sustained_per_second))",
  "  surplus steps (rate: p99 ms): \([$r.steps[]? | "\(.rate): \(.latency.p99_ms | show)\(if .complete then "" else " incomplete" end)"] | join(", "))",
  "  ws steps      (rate: p99 ms): \([$rw.steps[]? | "\(.rate): \(.latency.p99_ms | show)\(if .complete then "" else " incomplete" end)"] | join(", "))"
