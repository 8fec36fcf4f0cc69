"""The measurements of tests/bench/provider, which starts the harnesses and
the Upbound API double and passes their addresses here."""

import argparse
import json
import os
import re
import resource
import shutil
import ssl
import statistics
import subprocess
import tempfile
import threading
import time
import urllib.request
from pathlib import Path

COOKIE = ("TF_PLUGIN_MAGIC_COOKIE",
          "d602bf8f470bc67ca7faa0386276bbdd4330efaf76d1a219cb4d6991ca9872b2")
HANDSHAKES = 20
MANY = 50
COMMAND_TIMEOUT = 600

PROVIDER_BLOCK = """
terraform {
  required_providers {
    upbound = { source = "upbound-connect/upbound" }
  }
}
variable "organization" { type = string }
provider "upbound" {
  upbound {
    organization = var.organization
  }
}
"""

CONNECTIONS = PROVIDER_BLOCK + """
variable "spaces" { type = set(string) }
resource "upbound_space_connection" "this" {
  for_each  = var.spaces
  space     = each.key
  namespace = each.key
  agent {
    wait = false
  }
}
"""

FLOOR = """
resource "terraform_data" "this" {
  input = "floor"
}
"""

GO_FLOOR = """
terraform {
  required_providers {
    floor = { source = "upbound-connect/floor" }
  }
}
resource "floor_thing" "this" {
  name = "floor"
}
"""


def pinned(version):
    """CONNECTIONS with the provider pinned to `version` of the mirror."""
    return CONNECTIONS.replace('source = "upbound-connect/upbound" }',
                               f'source = "upbound-connect/upbound", version = "{version}" }}')


def install_in_mirror(binary, version):
    """Puts `binary` in the bench's provider mirror as `version`."""
    mirror = Path(env("TF_CLI_CONFIG_FILE")).parent / "mirror/registry.terraform.io/upbound-connect/upbound"
    directory = mirror / version / "linux_amd64"
    directory.mkdir(parents=True, exist_ok=True)
    shutil.copy(binary, directory / f"terraform-provider-upbound_v{version}")


def env(name):
    return os.environ["UPBOUND_CONNECT_TEST_" + name]


def kube(method, path, body=None):
    """The test apiserver's answer, as cluster-admin."""
    context = ssl.create_default_context(cafile=env("KUBE_CA_FILE"))
    token = Path(env("KUBE_TOKEN_FILE")).read_text().strip()
    request = urllib.request.Request(
        env("KUBE_SERVER") + path, method=method,
        data=json.dumps(body).encode() if body is not None else None,
        headers={"Authorization": f"Bearer {token}", "Content-Type": "application/json"})
    with urllib.request.urlopen(request, context=context, timeout=10) as response:
        return json.load(response)


def install_spaces(namespace, organization):
    """A namespace with `spaces-config`, as a Spaces install leaves it."""
    kube("POST", "/api/v1/namespaces", {"metadata": {"name": namespace}})
    kube("POST", f"/api/v1/namespaces/{namespace}/configmaps", {
        "metadata": {"name": "spaces-config"},
        "data": {"config.yaml": f"account: {organization}\nauthorization:\n  hubRBAC: true\n"},
    })


def binary_size(provider, work):
    stripped = work / "provider.stripped"
    shutil.copy(provider, stripped)
    subprocess.run(["strip", str(stripped)], check=True)
    return stripped.stat().st_size


def client_certificate(work):
    """A self-signed client certificate, as Terraform makes for AutoMTLS."""
    key, cert = work / "client.key", work / "client.pem"
    subprocess.run(["openssl", "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256",
                    "-nodes", "-subj", "/CN=localhost", "-days", "1", "-keyout", str(key),
                    "-out", str(cert)], check=True, capture_output=True)
    return cert.read_text()


def handshake_seconds(provider, certificate):
    environment = dict(os.environ, PLUGIN_CLIENT_CERT=certificate, PLUGIN_PROTOCOL_VERSIONS="6")
    environment[COOKIE[0]] = COOKIE[1]
    started = time.perf_counter()
    process = subprocess.Popen([provider], env=environment, stdout=subprocess.PIPE,
                               stderr=subprocess.DEVNULL, text=True)
    line = process.stdout.readline()
    elapsed = time.perf_counter() - started
    process.terminate()
    process.wait(timeout=10)
    if not line.startswith("1|6|unix|"):
        raise SystemExit(f"unexpected handshake line: {line!r}")
    return elapsed


# The harness processes whose CPU a run's figures include, by a word of
# their command line.
SERVERS = {"kube-apiserver": "kube-apiserver-harness", "registry": "registry serve",
           "upbound-api": "upbound-api-double"}


def cpu_seconds():
    """CPU seconds used so far: by finished children (Terraform, and the
    provider processes it waited for) and by each harness server."""
    children = resource.getrusage(resource.RUSAGE_CHILDREN)
    used = {"terraform+provider": children.ru_utime + children.ru_stime}
    ticks = os.sysconf("SC_CLK_TCK")
    for name, word in SERVERS.items():
        used[name] = 0.0
        for stat in Path("/proc").glob("[0-9]*/stat"):
            try:
                command = (stat.parent / "cmdline").read_bytes().replace(b"\0", b" ").decode()
                fields = stat.read_text().rsplit(")", 1)[1].split()
            except OSError:
                continue
            if word in command:
                used[name] += (int(fields[11]) + int(fields[12])) / ticks
    return used


def cpu_used(run):
    """`run()`'s wall seconds and the CPU seconds each party spent in it."""
    before = cpu_seconds()
    elapsed = run()
    after = cpu_seconds()
    return elapsed, {name: round(after[name] - before[name], 2) for name in after}


class Terraform:
    def __init__(self, directory, main_tf, environment):
        self.directory = directory
        directory.mkdir(parents=True)
        (directory / "main.tf").write_text(main_tf)
        self.environment = environment

    def run(self, *args, extra_environment=None):
        started = time.perf_counter()
        result = subprocess.run([env("TERRAFORM"), *args, "-input=false", "-no-color"],
                                cwd=self.directory, env=dict(self.environment, **(extra_environment or {})),
                                capture_output=True, text=True, timeout=COMMAND_TIMEOUT)
        elapsed = time.perf_counter() - started
        if result.returncode != 0:
            raise SystemExit(f"terraform {' '.join(args)} failed:\n{result.stdout}{result.stderr}")
        return elapsed


def rpc_milliseconds(terraform, rpc, args):
    """How long each `rpc` took in `terraform args`, as the provider logs it
    at debug level (`ReadResource took 12.3 ms`)."""
    log = terraform.directory / "provider.log"
    log.unlink(missing_ok=True)
    terraform.run(*args, extra_environment={"TF_LOG_PROVIDER": "debug", "TF_LOG_PATH": str(log)})
    pattern = re.compile(re.escape(rpc) + r" took ([0-9.]+) ms")
    return [float(match.group(1)) for match in pattern.finditer(log.read_text())]


def peak_rss_kib(terraform, provider_name, args):
    """The largest VmHWM of a provider process while `terraform args` runs."""
    peak = 0
    done = threading.Event()

    def watch():
        nonlocal peak
        while not done.is_set():
            for status in Path("/proc").glob("[0-9]*/status"):
                try:
                    text = status.read_text()
                    if f"Name:\t{provider_name[:15]}" not in text:
                        continue
                    for line in text.splitlines():
                        if line.startswith("VmHWM:"):
                            peak = max(peak, int(line.split()[1]))
                except OSError:
                    pass
            time.sleep(0.002)

    watcher = threading.Thread(target=watch)
    watcher.start()
    try:
        terraform.run(*args)
    finally:
        done.set()
        watcher.join()
    return peak


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--provider", required=True)
    parser.add_argument("--double-url", required=True)
    parser.add_argument("--double-token-file", required=True)
    parser.add_argument("--organization", required=True)
    parser.add_argument("--work", required=True)
    options = parser.parse_args()
    work = Path(options.work)
    work.mkdir(parents=True, exist_ok=True)
    runs = int(os.environ.get("BENCH_RUNS", "5"))
    results = {}

    results["stripped_binary_bytes"] = binary_size(options.provider, work)
    certificate = client_certificate(work)
    handshakes = [handshake_seconds(options.provider, certificate) for _ in range(HANDSHAKES)]
    results["handshake_ms_median_of_20"] = round(statistics.median(handshakes) * 1000, 1)

    # Only what the run sets: a developer's own TF_LOG, UPBOUND_TOKEN or
    # kubeconfig would change what is measured.
    environment = {key: value for key, value in os.environ.items()
                   if key.startswith("UPBOUND_CONNECT_")
                   or not key.startswith(("TF_", "UPBOUND_", "KUBE"))}
    environment.update({
        "TF_CLI_CONFIG_FILE": env("TF_CLI_CONFIG_FILE"),
        "CHECKPOINT_DISABLE": "1",
        "TF_IN_AUTOMATION": "1",
        "UPBOUND_ENDPOINT": options.double_url,
        "UPBOUND_TOKEN": Path(options.double_token_file).read_text().strip(),
        "KUBE_CONFIG_PATH": env("KUBECONFIG"),
        "UPBOUND_REGISTRY": env("REGISTRY"),
        "UPBOUND_REGISTRY_ACCESS_ID": env("REGISTRY_USERNAME"),
        "UPBOUND_REGISTRY_TOKEN": env("REGISTRY_PASSWORD"),
        "TF_VAR_organization": options.organization,
    })

    one = Terraform(work / "one", CONNECTIONS, dict(environment, TF_VAR_spaces='["bench-one"]'))
    install_spaces("bench-one", options.organization)
    one.run("init")
    apply_one, cpu = cpu_used(lambda: one.run("apply", "-auto-approve"))
    results["apply_one_connection_s"] = round(apply_one, 2)
    results["apply_one_connection_cpu_s"] = cpu
    provider_name = Path(env("PROVIDER")).name
    results["peak_rss_mib_plan_after_configure"] = round(
        peak_rss_kib(one, provider_name, ["plan", "-refresh=false"]) / 1024, 1)

    floor = Terraform(work / "floor", FLOOR, environment)
    floor.run("init")
    floor.run("apply", "-auto-approve")
    go_floor = Terraform(work / "go-floor", GO_FLOOR, environment)
    go_floor.run("init")
    go_floor.run("apply", "-auto-approve")
    # Other builds of the provider (BENCH_COMPARE), each in the mirror as a
    # version of its own, connecting a Space of its own.
    compared = {}
    for index, binary in enumerate(filter(None, os.environ.get("BENCH_COMPARE", "").split(","))):
        version, space = f"0.1.{index + 1}", f"bench-compare-{index}"
        install_in_mirror(binary, version)
        install_spaces(space, options.organization)
        other = Terraform(work / f"compare-{index}", pinned(version),
                          dict(environment, TF_VAR_spaces=json.dumps([space])))
        other.run("init")
        other.run("apply", "-auto-approve")
        compared[binary] = (other, [])
    connection_runs, floor_runs, go_floor_runs = [], [], []
    for _ in range(runs):
        connection_runs.append(one.run("apply", "-auto-approve"))
        floor_runs.append(floor.run("apply", "-auto-approve"))
        go_floor_runs.append(go_floor.run("apply", "-auto-approve"))
        for other, other_runs in compared.values():
            other_runs.append(other.run("apply", "-auto-approve"))
    connection, terraform_data, go_provider = (
        statistics.median(connection_runs), statistics.median(floor_runs), statistics.median(go_floor_runs))
    results["noop_apply_one_connection_s"] = round(connection, 3)
    results["noop_apply_terraform_data_s"] = round(terraform_data, 3)
    results["noop_apply_go_provider_s"] = round(go_provider, 3)
    results["noop_apply_ratio"] = round(connection / terraform_data, 2)
    results["noop_apply_over_go_provider"] = round(connection / go_provider, 2)
    results["go_provider_over_terraform_data"] = round(go_provider / terraform_data, 2)
    if compared:
        results["noop_apply_ratio_compared"] = {
            binary: round(statistics.median(other_runs) / terraform_data, 2)
            for binary, (_, other_runs) in compared.items()}
    results["noop_apply_one_connection_cpu_s"] = cpu_used(lambda: one.run("apply", "-auto-approve"))[1]
    results["noop_apply_terraform_data_cpu_s"] = cpu_used(lambda: floor.run("apply", "-auto-approve"))[1]
    results["noop_apply_go_provider_cpu_s"] = cpu_used(lambda: go_floor.run("apply", "-auto-approve"))[1]
    reads = [ms for _ in range(runs) for ms in rpc_milliseconds(one, "ReadResource", ["plan"])]
    results["read_resource_ms_median"] = round(statistics.median(reads), 1)
    plan_one = statistics.median([one.run("plan") for _ in range(runs)])
    results["noop_plan_one_connection_s"] = round(plan_one, 2)
    one.run("destroy", "-auto-approve")

    spaces = [f"bench-{index:02d}" for index in range(MANY)]
    for space in spaces:
        install_spaces(space, options.organization)
    many = Terraform(work / "many", CONNECTIONS, dict(environment, TF_VAR_spaces=json.dumps(spaces)))
    many.run("init")
    apply_many, cpu = cpu_used(lambda: many.run("apply", "-auto-approve", "-parallelism=10"))
    results[f"apply_{MANY}_connections_parallelism_10_s"] = round(apply_many, 2)
    results[f"apply_{MANY}_connections_cpu_s"] = cpu
    results[f"apply_{MANY}_over_apply_one"] = round(apply_many / apply_one, 2)
    plan_many = statistics.median([many.run("plan", "-parallelism=10") for _ in range(runs)])
    results[f"noop_plan_{MANY}_connections_s"] = round(plan_many, 2)
    results[f"noop_plan_{MANY}_over_noop_plan_one"] = round(plan_many / plan_one, 2)
    results[f"destroy_{MANY}_connections_parallelism_10_s"] = round(
        many.run("destroy", "-auto-approve", "-parallelism=10"), 2)

    print(json.dumps(results, indent=2))


if __name__ == "__main__":
    main()
