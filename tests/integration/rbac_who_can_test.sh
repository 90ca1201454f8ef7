#!/usr/bin/env bash
# kspm rbac who-can: answers, their attribution, output formats and errors.
# Usage: rbac_who_can_test.sh KSPM_BINARY SOURCE_DIR
set -u
kspm=$(realpath "$1")
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
passed=0
failed=0

check() {  # check NAME EXPECTED_EXIT ACTUAL_EXIT [CONDITION...]
  local name=$1 want=$2 got=$3
  shift 3
  if [ "$want" != "$got" ]; then
    echo "FAIL $name: exit $got, want $want"; sed 's/^/  | /' "$work/err" "$work/out" | head -20
    failed=$((failed + 1)); return
  fi
  for cond in "$@"; do
    if ! eval "$cond"; then
      echo "FAIL $name: $cond"; sed 's/^/  | /' "$work/out" | head -20
      failed=$((failed + 1)); return
    fi
  done
  echo "ok   $name"; passed=$((passed + 1))
}

# Rows of the table for a subject: "KIND NAMESPACE NAME ..." collapsed to single spaces.
rows() { tr -s ' ' <"$work/out"; }

cat >"$work/rbac.yaml" <<'Y'
apiVersion: rbac.authorization.k8s.io/v1
kind: Role
metadata: {name: secret-reader, namespace: shop}
rules:
- {apiGroups: [""], resources: [configmaps], verbs: [get]}
- {apiGroups: [""], resources: [secrets], verbs: [get, list]}
---
apiVersion: rbac.authorization.k8s.io/v1
kind: RoleBinding
metadata: {name: app-secrets, namespace: shop}
subjects:
- {kind: ServiceAccount, name: app}
- {kind: User, name: jane, apiGroup: rbac.authorization.k8s.io}
roleRef: {apiGroup: rbac.authorization.k8s.io, kind: Role, name: secret-reader}
---
apiVersion: rbac.authorization.k8s.io/v1
kind: Role
metadata: {name: one-secret, namespace: shop}
rules:
- {apiGroups: [""], resources: [secrets], resourceNames: [db], verbs: [get]}
---
apiVersion: rbac.authorization.k8s.io/v1
kind: RoleBinding
metadata: {name: db-reader, namespace: shop}
subjects: [{kind: ServiceAccount, name: reporter}]
roleRef: {apiGroup: rbac.authorization.k8s.io, kind: Role, name: one-secret}
---
apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRole
metadata: {name: support}
aggregationRule:
  clusterRoleSelectors: [{matchLabels: {to-support: "true"}}]
---
apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRole
metadata: {name: support-debug, labels: {to-support: "true"}}
rules:
- {apiGroups: [""], resources: [pods/exec], verbs: [create]}
- {apiGroups: [""], resources: [nodes], verbs: [get]}
---
apiVersion: rbac.authorization.k8s.io/v1
kind: RoleBinding
metadata: {name: support, namespace: shop}
subjects: [{kind: Group, name: support}]
roleRef: {apiGroup: rbac.authorization.k8s.io, kind: ClusterRole, name: support}
---
apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRoleBinding
metadata: {name: oncall}
subjects: [{kind: Group, name: oncall, apiGroup: rbac.authorization.k8s.io}]
roleRef: {apiGroup: rbac.authorization.k8s.io, kind: ClusterRole, name: cluster-admin}
---
apiVersion: rbac.authorization.k8s.io/v1
kind: RoleBinding
metadata: {name: typo, namespace: shop}
subjects: [{kind: User, name: bob}]
roleRef: {apiGroup: rbac.authorization.k8s.io, kind: Role, name: secret-readers}
Y

"$kspm" rbac who-can get secrets "$work/rbac.yaml" >"$work/out" 2>"$work/err"
check "secrets readers, with binding, role and rule" 0 $? \
  'rows | grep -q "^ServiceAccount shop app namespace shop RoleBinding/shop/app-secrets Role/shop/secret-reader rules\[1\]$"' \
  'rows | grep -q "^User - jane namespace shop RoleBinding/shop/app-secrets Role/shop/secret-reader rules\[1\]$"' \
  'rows | grep -q "^Group - oncall cluster-wide ClusterRoleBinding/oncall ClusterRole/cluster-admin built-in$"' \
  '! grep -q reporter "$work/out"' \
  '[ "$(wc -l <"$work/out")" -eq 4 ]'

"$kspm" rbac who-can get secrets --name db -n shop "$work/rbac.yaml" >"$work/out" 2>"$work/err"
check "resourceNames match with --name" 0 $? \
  'rows | grep -q "^ServiceAccount shop reporter .* Role/shop/one-secret rules\[0\]$"'

"$kspm" rbac who-can get secrets -n other "$work/rbac.yaml" >"$work/out" 2>"$work/err"
check "a namespace limits RoleBindings, not ClusterRoleBindings" 0 $? \
  'grep -q oncall "$work/out"' '! grep -q jane "$work/out"'

"$kspm" rbac who-can create pods/exec "$work/rbac.yaml" >"$work/out" 2>"$work/err"
check "aggregated ClusterRole names the source rule" 0 $? \
  'rows | grep -q "^Group - support namespace shop RoleBinding/shop/support ClusterRole/support ClusterRole/support-debug rules\[0\]$"'

"$kspm" rbac who-can create pods --subresource exec "$work/rbac.yaml" >"$work/out" 2>"$work/err"
check "--subresource equals RESOURCE/SUBRESOURCE" 0 $? 'grep -q "support-debug" "$work/out"'

"$kspm" rbac who-can create pods "$work/rbac.yaml" >"$work/out" 2>"$work/err"
check "pods/exec does not grant pods" 0 $? '! grep -q support "$work/out"' 'grep -q oncall "$work/out"'

"$kspm" rbac who-can get nodes -n shop "$work/rbac.yaml" >"$work/out" 2>"$work/err"
check "a RoleBinding never grants cluster-scoped resources" 0 $? \
  '! grep -q support "$work/out"' 'grep -q "nodes is not namespaced" "$work/err"'

"$kspm" rbac who-can get /metrics "$work/rbac.yaml" >"$work/out" 2>"$work/err"
check "non-resource URL" 0 $? 'grep -q oncall "$work/out"' '[ "$(wc -l <"$work/out")" -eq 2 ]'

"$kspm" rbac who-can delete deployments.apps -n shop -o json "$work/rbac.yaml" >"$work/out" 2>"$work/err"
check "json output" 0 $? \
  'python3 -c "import json,sys; d=json.load(open(sys.argv[1])); s=d[\"subjects\"]; assert [x[\"name\"] for x in s]==[\"oncall\"], s; g=s[0][\"grants\"][0]; assert g[\"binding\"][\"line\"]==47 and g[\"role\"][\"builtin\"] and d[\"request\"][\"apiGroup\"]==\"apps\" and d[\"request\"][\"namespace\"]==\"shop\"; assert d[\"unresolvedBindings\"][0][\"roleRef\"][\"name\"]==\"secret-readers\"" "$work/out"' \
  'grep -q "1 binding references a role not in the input" "$work/err"'

"$kspm" rbac who-can escalate roles "$work/rbac.yaml" >"$work/out" 2>"$work/err"
check "no answer is still success" 0 $? '! grep -q jane "$work/out"' 'grep -q oncall "$work/out"'

printf 'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: c}\n' >"$work/empty.yaml"
"$kspm" rbac who-can get secrets "$work/empty.yaml" >"$work/out" 2>"$work/err"
check "nobody" 0 $? 'grep -q "^No subject in the input can get secrets" "$work/out"'

"$kspm" rbac who-can get secrets -q - <"$work/rbac.yaml" >"$work/out" 2>"$work/err"
check "stdin, quiet" 0 $? 'grep -q jane "$work/out"' '[ ! -s "$work/err" ]'

"$kspm" rbac who-can get certificates "$work/rbac.yaml" >"$work/out" 2>"$work/err"
check "unknown resource without group" 2 $? 'grep -q "name its API group as RESOURCE.GROUP" "$work/err"'

"$kspm" rbac who-can get certificates.cert-manager.io "$work/rbac.yaml" >"$work/out" 2>"$work/err"
check "custom resource with group" 0 $? 'grep -q oncall "$work/out"' 'grep -q "taken to be namespaced" "$work/err"'

"$kspm" rbac who-can get secrets -o yaml "$work/rbac.yaml" >"$work/out" 2>"$work/err"
check "unknown format" 2 $? 'grep -q "unknown output format \"yaml\"" "$work/err"'

"$kspm" rbac who-can get secrets >"$work/out" 2>"$work/err"
check "no input" 2 $? 'grep -q "nothing to scan" "$work/err"'

"$kspm" rbac who-can get >"$work/out" 2>"$work/err"
check "missing resource" 2 $? 'grep -qi "resource" "$work/err"'

"$kspm" rbac who-can get secrets "$work/missing.yaml" >"$work/out" 2>"$work/err"
check "unreadable input" 2 $? 'grep -q "no answer given" "$work/err"' '[ ! -s "$work/out" ]'

"$kspm" rbac who-can get secrets/x --subresource y "$work/rbac.yaml" >"$work/out" 2>"$work/err"
check "subresource given twice" 2 $? 'grep -q "subresource is given twice" "$work/err"'

"$kspm" rbac who-can get secrets "$2/examples" >"$work/out" 2>"$work/err"
check "the shop example" 0 $? 'grep -q "RoleBinding/shop/worker-secrets" "$work/out"'

echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
