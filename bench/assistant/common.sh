# bench/assistant/common.sh — what run.sh and compare.sh share: the questions they ask and the reading of wrk's output.
# Sourced; expects $root (the repository).

# The benchmark's questions, spread over the evaluation set (every style: unmarked, typos, abbreviations, long
# messages, …): in-scope questions at an even stride, and one out-of-scope question in ten, as a citizen-facing
# assistant receives them. Writes WORK/questions.jsonl and WORK/ask-paths.txt (URL-encoded ask paths, one a line)
# and sets in_scope_count and out_of_scope_count.
write_questions() {  # how many, work folder
  local work="$2"
  out_of_scope_count=$(($1 / 10))
  in_scope_count=$(($1 - out_of_scope_count))
  jq -c 'select(.topic != null)' "$root/content/assistant/eval.jsonl" >"$work/in-scope.jsonl"
  jq -c 'select(.topic == null)' "$root/content/assistant/eval.jsonl" >"$work/out-of-scope.jsonl"
  { pick_evenly "$work/in-scope.jsonl" "$in_scope_count"; pick_evenly "$work/out-of-scope.jsonl" "$out_of_scope_count"; } \
    >"$work/questions.jsonl"
  jq -r '"/api/v1/assistant/ask?q=" + (.q | @uri)' "$work/questions.jsonl" >"$work/ask-paths.txt"
}

pick_evenly() {  # file, how many: evenly spaced lines
  local lines
  lines="$(wc -l <"$1")"
  awk -v n="$2" -v total="$lines" 'BEGIN { step = total / n } { if (picked < n && NR - 1 >= int(picked * step)) { print; picked++ } }' "$1"
}

# Prints "<requests per second> <p99 in ms> <errors>" from wrk --latency output on stdin.
parse_wrk() {
  awk '
    function ms(value) {
      if (value ~ /us$/) return substr(value, 1, length(value) - 2) / 1000
      if (value ~ /ms$/) return substr(value, 1, length(value) - 2) + 0
      if (value ~ /s$/) return substr(value, 1, length(value) - 1) * 1000
      if (value ~ /m$/) return substr(value, 1, length(value) - 1) * 60000
      return value + 0
    }
    /^Requests\/sec:/ { rps = $2 }
    $1 == "50%" { p50 = ms($2) }
    $1 == "99%" { p99 = ms($2) }
    /Socket errors:/ { gsub(/,/, ""); errors += $4 + $6 + $8 + $10 }
    /Non-2xx or 3xx responses:/ { errors += $5 }
    / requests in / { requests = $1 }
    END { printf "%.0f %.3f %d %.3f %d\n", rps, p99, errors + 0, p50, requests }'
}
median() {  # numbers as arguments
  printf '%s\n' "$@" | sort -g | awk '{ v[NR] = $1 } END { if (NR % 2) print v[(NR + 1) / 2]; else print (v[NR / 2] + v[NR / 2 + 1]) / 2 }'
}
