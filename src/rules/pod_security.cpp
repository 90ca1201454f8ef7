// The Pod Security Standards family: one rule per Kubernetes pod-security
// admission check (PSS-001 … PSS-019), exactly as Kubernetes enforces it at
// the targeted version. The checks themselves live in pss_checks.cpp; this
// file holds what the catalog says about each one.
#include "rules/builtin.h"
#include "rules/pss_checks.h"

namespace kspm::rules {
namespace {

using engine::Severity;

constexpr const char* kPssDocs =
    "https://kubernetes.io/docs/concepts/security/pod-security-standards/";

struct PssRuleSpec {
  const char* id;
  const char* slug;
  const char* check;  // Kubernetes check ID
  const char* title;
  Severity severity;
  const char* description;
  const char* remediation;
  std::vector<std::string> extra_controls;  // cis:, nsa:, mitre:
  std::vector<engine::Equivalent> equivalents;
  const char* extra_reference = nullptr;
};

std::vector<PssRuleSpec> Specs() {
  return {
      {"PSS-001",
       "host-namespaces",
       "hostNamespaces",
       "Pod shares the host's network, PID or IPC namespace",
       Severity::kHigh,
       "A pod that joins the node's network namespace can bind to node ports and sniff or "
       "reach services listening on the node's loopback; sharing the PID namespace lets it see "
       "and signal every process on the node; sharing IPC exposes the node's shared memory. Each "
       "removes a wall between the workload and the node.",
       "Remove spec.hostNetwork, spec.hostPID and spec.hostIPC (or set them to false). Expose "
       "network services through a Service instead of the host network.",
       {"cis:5.2.3", "cis:5.2.4", "cis:5.2.5", "nsa:host-namespaces", "mitre:T1611"},
       {{"polaris", "hostNetworkSet"},
        {"polaris", "hostPIDSet"},
        {"polaris", "hostIPCSet"},
        {"kubescape", "C-0038"},
        {"kubescape", "C-0041"},
        {"trivy", "KSV008"},
        {"trivy", "KSV009"},
        {"trivy", "KSV010"},
        {"kubescape", "C-0275"},
        {"kubescape", "C-0276"}}},
      {"PSS-002",
       "privileged-container",
       "privileged",
       "Privileged container",
       Severity::kCritical,
       "A privileged container runs with every capability, all devices of the node and no "
       "seccomp, AppArmor or SELinux confinement: it is root on the node in all but name, and "
       "escaping to the host is trivial.",
       "Remove securityContext.privileged from every container (or set it to false) and grant "
       "only the specific capabilities the workload needs.",
       {"cis:5.2.2", "nsa:privileged-containers", "mitre:T1611"},
       {{"polaris", "runAsPrivileged"},
        {"kubescape", "C-0057"},
        {"trivy", "KSV017"},
        {"kube-score", "container-security-context-privileged"}}},
      {"PSS-003",
       "added-capabilities",
       "capabilities_baseline",
       "Container adds capabilities beyond the default set",
       Severity::kHigh,
       "Linux capabilities outside the container runtime's default set (for example "
       "SYS_ADMIN, NET_ADMIN, SYS_PTRACE, NET_RAW) give a container kernel powers that are "
       "commonly used to break out of it or to attack the node's network.",
       "Remove from securityContext.capabilities.add every capability that is not one of "
       "AUDIT_WRITE, CHOWN, DAC_OVERRIDE, FOWNER, FSETID, KILL, MKNOD, NET_BIND_SERVICE, SETFCAP, "
       "SETGID, SETPCAP, SETUID, SYS_CHROOT.",
       {"cis:5.2.9", "nsa:privileged-containers", "mitre:T1611"},
       {{"trivy", "KSV022"}}},
      {"PSS-004",
       "host-path-volume",
       "hostPathVolumes",
       "Pod mounts a hostPath volume",
       Severity::kHigh,
       "A hostPath volume mounts a directory of the node into the container. Depending on the "
       "path it exposes credentials, the container runtime socket or the node's configuration, "
       "and a writable mount lets the workload change the node itself.",
       "Replace hostPath volumes with emptyDir, configMap, secret, projected or "
       "persistentVolumeClaim volumes; node agents that truly need host files belong in a "
       "namespace with a privileged policy.",
       {"cis:5.2.11", "mitre:T1611"},
       {{"polaris", "hostPathSet"}, {"kubescape", "C-0048"}, {"trivy", "KSV023"}}},
      {"PSS-005",
       "host-ports",
       "hostPorts",
       "Container binds a host port",
       Severity::kMedium,
       "A hostPort exposes the container directly on the node's network interfaces, bypassing "
       "network policies and Services, and ties the pod to nodes where the port is free.",
       "Remove ports[*].hostPort (or set it to 0) and expose the workload through a Service. "
       "With hostNetwork=true every containerPort is also a host port.",
       {"cis:5.2.12"},
       {{"polaris", "hostPortSet"}, {"kubescape", "C-0044"}, {"trivy", "KSV024"}}},
      {"PSS-006",
       "apparmor-profile",
       "appArmorProfile",
       "AppArmor profile disabled or overridden",
       Severity::kMedium,
       "The runtime's default AppArmor profile blocks many kernel interfaces containers never "
       "need. Running unconfined (or with an unknown profile) removes that layer of defence "
       "against container escapes.",
       "Use appArmorProfile.type RuntimeDefault or Localhost in the pod and container "
       "securityContext, and remove container.apparmor.security.beta.kubernetes.io annotations "
       "whose value is not runtime/default or localhost/<profile>.",
       {"nsa:container-hardening", "mitre:T1611"},
       {{"trivy", "KSV002"}}},
      {"PSS-007",
       "selinux-options",
       "seLinuxOptions",
       "Custom SELinux user, role or type",
       Severity::kHigh,
       "Setting an SELinux user or role, or a type such as spc_t or unconfined_t, lifts the "
       "SELinux confinement that separates containers from each other and from the node.",
       "Remove seLinuxOptions.user and seLinuxOptions.role, and use only the types container_t, "
       "container_init_t, container_kvm_t or (from Kubernetes 1.31) container_engine_t. "
       "seLinuxOptions.level may be set.",
       {"nsa:container-hardening", "mitre:T1611"},
       {{"trivy", "KSV025"}}},
      {"PSS-008",
       "unmasked-proc-mount",
       "procMount",
       "Container unmasks /proc",
       Severity::kMedium,
       "The runtime masks sensitive parts of /proc (kernel memory, keys, sysrq) inside "
       "containers. An Unmasked procMount exposes them; outside a user namespace this leaks host "
       "information and widens the kernel attack surface.",
       "Remove securityContext.procMount or set it to Default. From Kubernetes 1.35 the baseline "
       "level allows Unmasked only for pods with hostUsers: false.",
       {"nsa:container-hardening", "mitre:T1611"},
       {{"trivy", "KSV027"}, {"polaris", "procMount"}}},
      {"PSS-009",
       "seccomp-unconfined",
       "seccompProfile_baseline",
       "Seccomp disabled or set to an unknown profile",
       Severity::kMedium,
       "Seccomp filters the system calls a container may make. An Unconfined profile exposes the "
       "whole kernel system-call surface, the usual path for kernel exploits and container "
       "escapes.",
       "Set securityContext.seccompProfile.type to RuntimeDefault or Localhost (or leave it "
       "unset); before Kubernetes 1.19 use the seccomp annotations with runtime/default, "
       "docker/default or localhost/<profile>.",
       {"nsa:container-hardening", "mitre:T1611"},
       {{"trivy", "KSV104"}}},
      {"PSS-010",
       "unsafe-sysctls",
       "sysctls",
       "Pod sets an unsafe sysctl",
       Severity::kMedium,
       "Sysctls outside the namespaced safe set can change kernel behaviour for every workload "
       "on the node or exhaust node resources.",
       "Remove spec.securityContext.sysctls entries that are not in the safe set allowed at the "
       "targeted Kubernetes version (kernel.shm_rmid_forced, net.ipv4.ip_local_port_range, "
       "net.ipv4.tcp_syncookies, net.ipv4.ping_group_range, "
       "net.ipv4.ip_unprivileged_port_start, and the later additions listed in the Pod Security "
       "Standards).",
       {},
       {{"trivy", "KSV026"}}},
      {"PSS-011",
       "windows-host-process",
       "windowsHostProcess",
       "Windows HostProcess container",
       Severity::kCritical,
       "A Windows HostProcess container runs directly on the node as a host process with access "
       "to the node's filesystem, network and credentials: full control of the Windows node.",
       "Remove securityContext.windowsOptions.hostProcess (or set it to false) at pod and "
       "container level.",
       {"cis:5.2.10", "nsa:privileged-containers", "mitre:T1611"},
       {{"trivy", "KSV103"}, {"polaris", "hostProcess"}}},
      {"PSS-012",
       "host-probes-lifecycle",
       "hostProbesAndHostLifecycle",
       "Probe or lifecycle hook targets another host",
       Severity::kMedium,
       "The kubelet runs HTTP and TCP probes and lifecycle hooks from the node. A host field "
       "makes it connect to an arbitrary address on the workload's behalf, which can reach "
       "services only the node can reach (server-side request forgery).",
       "Remove host from httpGet and tcpSocket in livenessProbe, readinessProbe, startupProbe "
       "and lifecycle.postStart/preStop; the kubelet then targets the pod's own IP.",
       {},
       {}},
      {"PSS-013",
       "restricted-volume-types",
       "restrictedVolumes",
       "Volume type outside the restricted set",
       Severity::kMedium,
       "The restricted level allows only volume types that do not reach outside the pod's own "
       "storage: configMap, csi, downwardAPI, emptyDir, ephemeral, image, persistentVolumeClaim, "
       "projected and secret. Others (hostPath, nfs, gitRepo, in-tree cloud disks, ...) mount "
       "node or network storage directly.",
       "Use one of the allowed volume types; for network or cloud storage, go through a "
       "PersistentVolumeClaim.",
       {},
       {{"trivy", "KSV028"}}},
      {"PSS-014",
       "privilege-escalation",
       "allowPrivilegeEscalation",
       "Container allows privilege escalation",
       Severity::kMedium,
       "Unless allowPrivilegeEscalation is false, a process in the container can gain more "
       "privileges than its parent (setuid binaries, file capabilities), turning a foothold into "
       "root inside the container.",
       "Set securityContext.allowPrivilegeEscalation: false on every container.",
       {"cis:5.2.6", "nsa:privilege-escalation", "mitre:T1068"},
       {{"polaris", "privilegeEscalationAllowed"}, {"kubescape", "C-0016"}, {"trivy", "KSV001"}}},
      {"PSS-015",
       "run-as-non-root",
       "runAsNonRoot",
       "Containers may run as root",
       Severity::kMedium,
       "Without runAsNonRoot: true the kubelet starts containers as whatever user the image "
       "names, often root; root in a container is root on the node whenever another layer fails.",
       "Set securityContext.runAsNonRoot: true at pod level (or on every container) and build "
       "images that run as a non-zero UID.",
       {"cis:5.2.7", "nsa:non-root-containers"},
       {{"polaris", "runAsRootAllowed"}, {"kubescape", "C-0013"}, {"trivy", "KSV012"}}},
      {"PSS-016",
       "run-as-root-user",
       "runAsUser",
       "Container runs as UID 0",
       Severity::kMedium,
       "runAsUser: 0 explicitly runs the container as root, defeating runAsNonRoot's purpose.",
       "Remove runAsUser: 0 from the pod and container securityContext, or set a non-zero UID.",
       {"cis:5.2.7", "nsa:non-root-containers"},
       {{"kubescape", "C-0013"}, {"trivy", "KSV105"}}},
      {"PSS-017",
       "seccomp-profile-required",
       "seccompProfile_restricted",
       "Seccomp profile not set to RuntimeDefault or Localhost",
       Severity::kMedium,
       "The restricted level requires every container to run under a seccomp profile: without "
       "one, most runtimes allow every system call.",
       "Set spec.securityContext.seccompProfile.type: RuntimeDefault (or Localhost with a "
       "profile) at pod level, or on every container.",
       {"cis:5.6.2", "nsa:container-hardening", "mitre:T1611"},
       {{"kubescape", "C-0210"}, {"trivy", "KSV030"}, {"kube-score", "container-seccomp-profile"}}},
      {"PSS-018",
       "capabilities-not-dropped",
       "capabilities_restricted",
       "Container does not drop all capabilities",
       Severity::kMedium,
       "Containers start with the runtime's default capabilities (including NET_RAW on many "
       "runtimes). The restricted level requires dropping all of them and adding back at most "
       "NET_BIND_SERVICE.",
       "Set securityContext.capabilities.drop: [\"ALL\"] on every container and add back only "
       "NET_BIND_SERVICE if the workload binds ports below 1024.",
       {"cis:5.2.8", "cis:5.2.9", "nsa:container-hardening", "mitre:T1611"},
       {{"trivy", "KSV003"}, {"trivy", "KSV106"}, {"polaris", "insecureCapabilities"}}},
      {"PSS-019",
       "proc-mount-restricted",
       "procMount_restricted",
       "Container unmasks /proc (restricted)",
       Severity::kMedium,
       "The restricted level keeps forbidding an Unmasked procMount even in a user namespace "
       "(hostUsers: false), where the baseline level allows it from Kubernetes 1.35.",
       "Remove securityContext.procMount or set it to Default.",
       {"nsa:container-hardening", "mitre:T1611"},
       {{"trivy", "KSV027"}, {"polaris", "procMount"}}},
  };
}

}  // namespace

void RegisterPodSecurityRules(engine::RuleRegistry& registry) {
  for (PssRuleSpec& spec : Specs()) {
    const pss::CheckDef* def = pss::FindCheck(spec.check);
    engine::Rule r;
    r.info.id = spec.id;
    r.info.slug = spec.slug;
    r.info.title = spec.title;
    r.info.description = spec.description;
    r.info.severity = spec.severity;
    r.info.category = "pod-security";
    r.info.controls.push_back(std::string("pss:") + spec.check);
    for (std::string& c : spec.extra_controls) r.info.controls.push_back(std::move(c));
    r.info.remediation = spec.remediation;
    r.info.references.push_back(kPssDocs);
    if (spec.extra_reference != nullptr) r.info.references.push_back(spec.extra_reference);
    r.info.equivalents = std::move(spec.equivalents);
    r.kinds = {"*workload"};
    // Evaluate skips the rule entirely below its first version.
    r.min_k8s_minor = def->revisions.front().min_minor;
    r.check = [def](const core::Resource& res, const engine::RuleContext& ctx, engine::Verdict& v) {
      const core::PodSpecView* view = ctx.inventory->PodSpecOf(res);
      if (view == nullptr) return v.NotApplicable();
      pss::RunCheck(*def, *view, ctx, v);
    };
    registry.Add(std::move(r));
  }
}

}  // namespace kspm::rules
