#!/usr/bin/env python3
"""Writes the Pod Security Standards contract fixtures (see README.md).

For each level and version it starts from the smallest pod that level admits
at that version, applies one variation per file and files the pod under
pass/ or fail/ according to the verdict docs/pss.md gives for that level and
version. The verdicts below are written from the spec, not from kspm.

    python3 tests/pss_fixtures/generate.py   # rewrites tests/pss_fixtures/{baseline,restricted}
"""
import copy
import os
import shutil

VERSIONS = [0, 8, 19, 22, 23, 25, 27, 29, 31, 32, 34, 35, 37]
LEVELS = ["baseline", "restricted"]
IMAGE = "registry.example/shop/app:2.3"
HERE = os.path.dirname(os.path.abspath(__file__))


def minimal_pod(level, v):
    pod = {
        "apiVersion": "v1",
        "kind": "Pod",
        "metadata": {"name": "base"},
        "spec": {
            "initContainers": [{"name": "setup", "image": IMAGE}],
            "containers": [{"name": "main", "image": IMAGE}],
        },
    }
    if level == "baseline":
        return pod
    spec = pod["spec"]
    spec["securityContext"] = {"runAsNonRoot": True}
    if v >= 8:
        for c in spec["initContainers"] + spec["containers"]:
            c["securityContext"] = {"allowPrivilegeEscalation": False}
    if v >= 19:
        spec["securityContext"]["seccompProfile"] = {"type": "RuntimeDefault"}
    if v >= 22:
        for c in spec["initContainers"] + spec["containers"]:
            c["securityContext"]["capabilities"] = {"drop": ["ALL"]}
    return pod


def main_sc(pod):
    return pod["spec"]["containers"][0].setdefault("securityContext", {})


def init_sc(pod):
    return pod["spec"]["initContainers"][0].setdefault("securityContext", {})


def pod_sc(pod):
    return pod["spec"].setdefault("securityContext", {})


def annotate(pod, key, value):
    pod["metadata"].setdefault("annotations", {})[key] = value


def caps(sc):
    return sc.setdefault("capabilities", {})


# Verdict helpers: each returns "pass" or "fail" for (level, version).
def always(result):
    return lambda level, v: result


def fail_from(minor, levels=LEVELS):
    return lambda level, v: "fail" if level in levels and v >= minor else "pass"


def fail_before(minor, levels=LEVELS):
    return lambda level, v: "fail" if level in levels and v < minor else "pass"


def restricted_only(f):
    return lambda level, v: f(level, v) if level == "restricted" else "pass"


VARIANTS = []


def variant(name, verdict):
    def register(tweak):
        VARIANTS.append((name, tweak, verdict))
        return tweak

    return register


# --- hostNamespaces ---------------------------------------------------------
@variant("host-network", always("fail"))
def _(p):
    p["spec"]["hostNetwork"] = True


@variant("host-pid-and-ipc", always("fail"))
def _(p):
    p["spec"]["hostPID"] = True
    p["spec"]["hostIPC"] = True


@variant("host-namespaces-false", always("pass"))
def _(p):
    p["spec"].update({"hostNetwork": False, "hostPID": False, "hostIPC": False})


# --- privileged ---------------------------------------------------------------
@variant("privileged-init", always("fail"))
def _(p):
    init_sc(p)["privileged"] = True


@variant("privileged-ephemeral", always("fail"))
def _(p):
    p["spec"]["ephemeralContainers"] = [
        {"name": "debugger", "image": IMAGE, "securityContext": {"privileged": True}}
    ]


@variant("privileged-false", always("pass"))
def _(p):
    main_sc(p)["privileged"] = False
    init_sc(p)["privileged"] = False


# --- capabilities_baseline / capabilities_restricted ----------------------------
@variant("add-sys-ptrace", always("fail"))
def _(p):
    caps(main_sc(p))["add"] = ["SYS_PTRACE"]


@variant("add-kill-mknod", fail_from(22, ["restricted"]))
def _(p):
    caps(init_sc(p))["add"] = ["KILL", "MKNOD"]


@variant("add-net-bind-service", always("pass"))
def _(p):
    caps(main_sc(p))["add"] = ["NET_BIND_SERVICE"]


@variant("add-lowercase-capability", always("fail"))
def _(p):
    caps(main_sc(p))["add"] = ["net_bind_service"]


@variant("add-cap-prefixed", always("fail"))
def _(p):
    caps(main_sc(p))["add"] = ["CAP_CHOWN"]


@variant("no-drop-list", restricted_only(fail_from(22)))
def _(p):
    main_sc(p)["capabilities"] = {}


@variant("drop-lowercase-all", restricted_only(fail_from(22)))
def _(p):
    caps(init_sc(p))["drop"] = ["all"]


@variant("drop-every-capability-by-name", restricted_only(fail_from(22)))
def _(p):
    caps(main_sc(p))["drop"] = ["CHOWN", "DAC_OVERRIDE", "FOWNER", "NET_RAW", "SYS_ADMIN"]


@variant("drop-all-add-chown", restricted_only(fail_from(22)))
def _(p):
    sc = caps(main_sc(p))
    sc["drop"] = ["ALL"]
    sc["add"] = ["CHOWN"]


# --- hostPathVolumes / restrictedVolumes ------------------------------------------
@variant("hostpath-volume", always("fail"))
def _(p):
    p["spec"]["volumes"] = [{"name": "logs", "hostPath": {"path": "/var/log"}}]


@variant("ordinary-volumes", always("pass"))
def _(p):
    p["spec"]["volumes"] = [
        {"name": "implicit-empty-dir"},
        {"name": "scratch", "emptyDir": {"medium": "Memory"}},
        {"name": "settings", "configMap": {"name": "settings"}},
        {"name": "creds", "secret": {"secretName": "creds"}},
        {"name": "data", "persistentVolumeClaim": {"claimName": "data"}},
        {"name": "labels", "downwardAPI": {"items": [{"path": "labels", "fieldRef": {"fieldPath": "metadata.labels"}}]}},
        {"name": "token", "projected": {"sources": [{"serviceAccountToken": {"path": "token"}}]}},
        {"name": "inline", "csi": {"driver": "secrets-store.csi.k8s.io"}},
        {"name": "cache", "ephemeral": {"volumeClaimTemplate": {"spec": {"accessModes": ["ReadWriteOnce"]}}}},
    ]


@variant("nfs-volume", restricted_only(always("fail")))
def _(p):
    p["spec"]["volumes"] = [{"name": "share", "nfs": {"server": "nas.example", "path": "/share"}}]


@variant("git-repo-volume", restricted_only(always("fail")))
def _(p):
    p["spec"]["volumes"] = [{"name": "src", "gitRepo": {"repository": "https://example.com/r.git"}}]


@variant("azure-disk-volume", restricted_only(always("fail")))
def _(p):
    p["spec"]["volumes"] = [{"name": "disk", "azureDisk": {"diskName": "d", "diskURI": "https://example/d.vhd"}}]


# --- hostPorts ------------------------------------------------------------------
@variant("host-port", always("fail"))
def _(p):
    p["spec"]["containers"][0]["ports"] = [{"containerPort": 8443, "hostPort": 443}]


@variant("host-port-init", always("fail"))
def _(p):
    p["spec"]["initContainers"][0]["ports"] = [{"containerPort": 53, "hostPort": 53, "protocol": "UDP"}]


@variant("container-port-only", always("pass"))
def _(p):
    p["spec"]["containers"][0]["ports"] = [{"containerPort": 8080}, {"containerPort": 9090, "hostPort": 0}]


# --- appArmorProfile ----------------------------------------------------------------
@variant("apparmor-annotation-unconfined", always("fail"))
def _(p):
    annotate(p, "container.apparmor.security.beta.kubernetes.io/setup", "unconfined")


@variant("apparmor-annotation-docker-default", always("fail"))
def _(p):
    annotate(p, "container.apparmor.security.beta.kubernetes.io/main", "docker-default")


@variant("apparmor-annotations-allowed", always("pass"))
def _(p):
    annotate(p, "container.apparmor.security.beta.kubernetes.io/main", "runtime/default")
    annotate(p, "container.apparmor.security.beta.kubernetes.io/setup", "localhost/setup-profile")


# Every annotation with the AppArmor prefix is checked, whether or not a
# container of that name exists (an early draft fixture said otherwise).
@variant("apparmor-annotation-absent-container", always("fail"))
def _(p):
    annotate(p, "container.apparmor.security.beta.kubernetes.io/sidecar", "unconfined")


@variant("apparmor-field-unconfined", always("fail"))
def _(p):
    pod_sc(p)["appArmorProfile"] = {"type": "Unconfined"}


@variant("apparmor-field-localhost", always("pass"))
def _(p):
    main_sc(p)["appArmorProfile"] = {"type": "Localhost", "localhostProfile": "main-profile"}
    pod_sc(p)["appArmorProfile"] = {"type": "RuntimeDefault"}


# --- seLinuxOptions -----------------------------------------------------------------
@variant("selinux-unconfined-type", always("fail"))
def _(p):
    main_sc(p)["seLinuxOptions"] = {"type": "unconfined_t"}


@variant("selinux-container-engine-type", fail_before(31))
def _(p):
    init_sc(p)["seLinuxOptions"] = {"type": "container_engine_t"}


@variant("selinux-user", always("fail"))
def _(p):
    pod_sc(p)["seLinuxOptions"] = {"user": "system_u"}


@variant("selinux-level-and-types", always("pass"))
def _(p):
    pod_sc(p)["seLinuxOptions"] = {"level": "s0:c1,c2"}
    main_sc(p)["seLinuxOptions"] = {"type": "container_t"}
    init_sc(p)["seLinuxOptions"] = {"type": "container_init_t"}


# --- procMount / procMount_restricted ----------------------------------------------------
@variant("proc-mount-unmasked", always("fail"))
def _(p):
    init_sc(p)["procMount"] = "Unmasked"


@variant("proc-mount-unmasked-userns",
         lambda level, v: "fail" if level == "restricted" or v < 35 else "pass")
def _(p):
    main_sc(p)["procMount"] = "Unmasked"
    p["spec"]["hostUsers"] = False


# Restricted keeps procMount strict for user-namespace pods from 1.35 on
# (procMount_restricted overrides the relaxed baseline check).
@variant("proc-mount-unmasked-userns-all-containers",
         lambda level, v: "fail" if level == "restricted" or v < 35 else "pass")
def _(p):
    main_sc(p)["procMount"] = "Unmasked"
    init_sc(p)["procMount"] = "Unmasked"
    p["spec"]["hostUsers"] = False


@variant("proc-mount-default", always("pass"))
def _(p):
    main_sc(p)["procMount"] = "Default"


# --- seccompProfile_baseline / seccompProfile_restricted -------------------------------------
@variant("seccomp-annotation-unconfined", fail_before(19))
def _(p):
    annotate(p, "seccomp.security.alpha.kubernetes.io/pod", "unconfined")


@variant("seccomp-container-annotation-unconfined", fail_before(19))
def _(p):
    annotate(p, "container.seccomp.security.alpha.kubernetes.io/setup", "unconfined")


@variant("seccomp-annotations-allowed", always("pass"))
def _(p):
    annotate(p, "seccomp.security.alpha.kubernetes.io/pod", "runtime/default")
    annotate(p, "container.seccomp.security.alpha.kubernetes.io/main", "localhost/main.json")
    annotate(p, "container.seccomp.security.alpha.kubernetes.io/missing", "unconfined")


@variant("seccomp-field-unconfined", fail_from(19))
def _(p):
    main_sc(p)["seccompProfile"] = {"type": "Unconfined"}


@variant("seccomp-field-empty", fail_from(19))
def _(p):
    pod_sc(p)["seccompProfile"] = {}


@variant("seccomp-unset", restricted_only(fail_from(19)))
def _(p):
    pod_sc(p).pop("seccompProfile", None)


@variant("seccomp-unset-for-init", restricted_only(fail_from(19)))
def _(p):
    pod_sc(p).pop("seccompProfile", None)
    main_sc(p)["seccompProfile"] = {"type": "RuntimeDefault"}


@variant("seccomp-per-container", always("pass"))
def _(p):
    pod_sc(p).pop("seccompProfile", None)
    main_sc(p)["seccompProfile"] = {"type": "RuntimeDefault"}
    init_sc(p)["seccompProfile"] = {"type": "Localhost", "localhostProfile": "setup.json"}


# --- sysctls --------------------------------------------------------------------------
@variant("sysctl-kernel-msgmax", always("fail"))
def _(p):
    pod_sc(p)["sysctls"] = [{"name": "kernel.msgmax", "value": "65536"}]


@variant("sysctl-reserved-ports", fail_before(27))
def _(p):
    pod_sc(p)["sysctls"] = [{"name": "net.ipv4.ip_local_reserved_ports", "value": "30000-30100"}]


@variant("sysctl-keepalive-probes", fail_before(29))
def _(p):
    pod_sc(p)["sysctls"] = [{"name": "net.ipv4.tcp_keepalive_probes", "value": "5"}]


@variant("sysctl-tcp-wmem", fail_before(32))
def _(p):
    pod_sc(p)["sysctls"] = [{"name": "net.ipv4.tcp_wmem", "value": "4096 16384 4194304"}]


@variant("sysctl-slow-start-after-idle", fail_before(37))
def _(p):
    pod_sc(p)["sysctls"] = [{"name": "net.ipv4.tcp_slow_start_after_idle", "value": "0"}]


@variant("sysctls-original-safe-set", always("pass"))
def _(p):
    pod_sc(p)["sysctls"] = [
        {"name": "kernel.shm_rmid_forced", "value": "1"},
        {"name": "net.ipv4.ping_group_range", "value": "0 2147483647"},
        {"name": "net.ipv4.ip_unprivileged_port_start", "value": "0"},
    ]


# --- windowsHostProcess ----------------------------------------------------------------
@variant("windows-host-process", always("fail"))
def _(p):
    p["spec"]["hostNetwork"] = True
    pod_sc(p)["windowsOptions"] = {"hostProcess": True}


@variant("windows-host-process-false", always("pass"))
def _(p):
    main_sc(p)["windowsOptions"] = {"hostProcess": False}


# --- hostProbesAndHostLifecycle ---------------------------------------------------------
@variant("probe-host-localhost", fail_from(34))
def _(p):
    p["spec"]["containers"][0]["livenessProbe"] = {"httpGet": {"host": "localhost", "path": "/live", "port": 8080}}


# Loopback addresses are hosts like any other: every non-empty host fails
# (an early draft of the check allowed 127.0.0.1 and ::1).
@variant("probe-host-loopback-ips", fail_from(34))
def _(p):
    c = p["spec"]["containers"][0]
    c["livenessProbe"] = {"httpGet": {"host": "127.0.0.1", "path": "/live", "port": 8080}}
    c["readinessProbe"] = {"tcpSocket": {"host": "::1", "port": 8080}}


@variant("lifecycle-host", fail_from(34))
def _(p):
    p["spec"]["containers"][0]["lifecycle"] = {"postStart": {"httpGet": {"host": "10.1.2.3", "port": 80}}}


@variant("startup-tcp-host", fail_from(34))
def _(p):
    p["spec"]["initContainers"][0]["startupProbe"] = {"tcpSocket": {"host": "db.example", "port": 5432}}


@variant("probes-without-host", always("pass"))
def _(p):
    c = p["spec"]["containers"][0]
    c["readinessProbe"] = {"tcpSocket": {"port": 8080}}
    c["livenessProbe"] = {"httpGet": {"path": "/live", "port": 8080, "host": ""}}


# --- allowPrivilegeEscalation --------------------------------------------------------------
@variant("allow-privilege-escalation", restricted_only(fail_from(8)))
def _(p):
    main_sc(p)["allowPrivilegeEscalation"] = True


@variant("privilege-escalation-unset-in-init", restricted_only(fail_from(8)))
def _(p):
    init_sc(p).pop("allowPrivilegeEscalation", None)


# Windows pods: from 1.25 restricted skips privilege escalation, seccomp and
# capabilities for them (and overrides the baseline seccomp/capability checks).
@variant("windows-pod-minimal-settings",
         restricted_only(lambda level, v: "fail" if 8 <= v < 25 else "pass"))
def _(p):
    p["spec"]["os"] = {"name": "windows"}
    for c in p["spec"]["initContainers"] + p["spec"]["containers"]:
        c.pop("securityContext", None)
    pod_sc(p).pop("seccompProfile", None)


@variant("windows-pod-adds-capability",
         lambda level, v: "pass" if level == "restricted" and v >= 25 else "fail")
def _(p):
    p["spec"]["os"] = {"name": "windows"}
    caps(main_sc(p))["add"] = ["SYS_ADMIN"]


# --- runAsNonRoot ----------------------------------------------------------------------
@variant("run-as-non-root-per-container", always("pass"))
def _(p):
    pod_sc(p).pop("runAsNonRoot", None)
    main_sc(p)["runAsNonRoot"] = True
    init_sc(p)["runAsNonRoot"] = True


@variant("run-as-non-root-false", restricted_only(always("fail")))
def _(p):
    main_sc(p)["runAsNonRoot"] = False


@variant("run-as-non-root-unset-uid-set", restricted_only(always("fail")))
def _(p):
    pod_sc(p).pop("runAsNonRoot", None)
    pod_sc(p)["runAsUser"] = 1000


@variant("run-as-non-root-unset-userns", restricted_only(fail_before(35)))
def _(p):
    pod_sc(p).pop("runAsNonRoot", None)
    p["spec"]["hostUsers"] = False


# --- runAsUser -------------------------------------------------------------------------
@variant("run-as-user-zero", restricted_only(fail_from(23)))
def _(p):
    init_sc(p)["runAsUser"] = 0


@variant("run-as-user-zero-userns",
         restricted_only(lambda level, v: "fail" if 23 <= v < 35 else "pass"))
def _(p):
    pod_sc(p)["runAsUser"] = 0
    p["spec"]["hostUsers"] = False


@variant("run-as-user-non-zero", always("pass"))
def _(p):
    pod_sc(p)["runAsUser"] = 65532
    main_sc(p)["runAsUser"] = 1001


# ---------------------------------------------------------------------------------------
# Writing YAML (block style, like kubectl's output).

def scalar(v):
    if v is True:
        return "true"
    if v is False:
        return "false"
    if isinstance(v, int):
        return str(v)
    s = str(v)
    plain = s and all(c.isalnum() or c in "-_./" for c in s) and not s[0].isdigit()
    reserved = s.lower() in ("true", "false", "yes", "no", "on", "off", "null", "y", "n", "~")
    return s if plain and not reserved else '"' + s.replace('\\', '\\\\').replace('"', '\\"') + '"'


def emit(value, indent=0):
    pad = "  " * indent
    lines = []
    if isinstance(value, dict):
        if not value:
            return [pad + "{}"]
        for k, v in value.items():
            if isinstance(v, dict) and v:
                lines.append(f"{pad}{k}:")
                lines += emit(v, indent + 1)
            elif isinstance(v, list) and v:
                lines.append(f"{pad}{k}:")
                lines += emit(v, indent)
            elif isinstance(v, (dict, list)):
                lines.append(f"{pad}{k}: {'{}' if isinstance(v, dict) else '[]'}")
            else:
                lines.append(f"{pad}{k}: {scalar(v)}")
        return lines
    if isinstance(value, list):
        for item in value:
            sub = emit(item, indent + 1)
            first = sub[0].lstrip()
            lines.append(f"{pad}- {first}")
            lines += sub[1:]
        return lines
    return [pad + scalar(value)]


def write(path, pod):
    with open(path, "w") as f:
        f.write("\n".join(emit(pod)) + "\n")


def main():
    for level in LEVELS:
        shutil.rmtree(os.path.join(HERE, level), ignore_errors=True)
        for v in VERSIONS:
            base = minimal_pod(level, v)
            for verdict in ("pass", "fail"):
                os.makedirs(os.path.join(HERE, level, f"v1.{v}", verdict))
            write(os.path.join(HERE, level, f"v1.{v}", "pass", "base.yaml"), base)
            for name, tweak, expect in VARIANTS:
                pod = copy.deepcopy(base)
                pod["metadata"]["name"] = name
                tweak(pod)
                verdict = expect(level, v)
                write(os.path.join(HERE, level, f"v1.{v}", verdict, name + ".yaml"), pod)


if __name__ == "__main__":
    main()
