"""The deployment files in deploy/ are valid and agree with each other, without PostgreSQL, Docker or Kubernetes.

- deploy/dagster.postgres.yaml: Dagster's own instance-config validation, the classes' config schemas and the
  effective run/pool limits (what `make check-postgres` runs against a real server).
- deploy/compose.yaml: the Compose Specification's JSON schema (tests/fixtures/deploy/compose-spec.json), the
  environment each Dagster service needs, secrets only by interpolation, one writer of the warehouse volume.
- deploy/helm/values.yaml: the keys the dagster/dagster chart's values schema allows (its pydantic models), and
  the instance settings those values render into, validated by Dagster like the compose instance.
- scripts/check_postgres.py: its pure parts (overlap and run checks, timeline, finding the server binaries).
"""

import importlib.util
import json
import re
import tomllib
from pathlib import Path

import jsonschema
import pytest
import yaml
from dagster._config import validate_config
from dagster._core.errors import DagsterInvalidConfigError
from dagster._core.instance.config import ConcurrencyConfig, dagster_instance_config
from dagster._core.instance.ref import InstanceRef
from dagster._serdes import class_from_code_pointer

from orchestration.connectors import comtrade, imf, kcs_openapi

REPO = Path(__file__).resolve().parents[1]
DEPLOY = REPO / "deploy"
INSTANCE_YAML = DEPLOY / "dagster.postgres.yaml"
PYPROJECT = tomllib.loads((REPO / "pyproject.toml").read_text())
DAGSTER_TOOL = PYPROJECT["tool"]["dagster"]  # module_name, code_location_name
DAGSTER_SERVICES = ("code", "webserver", "daemon")
API_KEY_ENVS = {kcs_openapi.API_KEY_ENV, comtrade.API_KEY_ENV, imf.API_KEY_ENV}

_spec = importlib.util.spec_from_file_location("check_postgres", REPO / "scripts" / "check_postgres.py")
check_postgres = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(check_postgres)


def load_yaml(path: Path) -> dict:
    return yaml.safe_load(path.read_text())


def env_names(node) -> set[str]:
    """Every environment variable a Dagster config reads (`{env: NAME}`)."""
    if isinstance(node, dict):
        found = {node["env"]} if set(node) == {"env"} else set()
        return found.union(*(env_names(v) for v in node.values()))
    if isinstance(node, list):
        return set().union(*(env_names(v) for v in node))
    return set()


def instance_config(directory: Path, config: dict) -> tuple[dict, InstanceRef]:
    """Dagster's validation of `config` as an instance's dagster.yaml, and the InstanceRef it loads into."""
    (directory / "dagster.yaml").write_text(yaml.safe_dump(config))
    validated, _ = dagster_instance_config(str(directory))
    return validated, InstanceRef.from_dir(str(directory))


def effective_concurrency(ref: InstanceRef) -> ConcurrencyConfig:
    """What DagsterInstance.get_concurrency_config() computes, without opening the storage."""
    return ConcurrencyConfig.from_concurrency_settings(
        ref.settings.get("concurrency", {}), ref.run_coordinator.get_run_queue_config()
    )


# --- deploy/dagster.postgres.yaml ---------------------------------------------------------------------------


@pytest.fixture
def instance_env(monkeypatch, tmp_path):
    monkeypatch.setenv("DAGSTER_POSTGRES_URL", "postgresql://dagster:secret@localhost:5432/dagster")
    monkeypatch.setenv("DAGSTER_STORAGE_DIR", str(tmp_path / "storage"))


def test_postgres_instance_is_valid_dagster_config(tmp_path, instance_env):
    config = load_yaml(INSTANCE_YAML)
    validated, ref = instance_config(tmp_path, config)
    assert env_names(config) == {"DAGSTER_POSTGRES_URL", "DAGSTER_STORAGE_DIR"}
    # run, event-log and schedule storage: all three in PostgreSQL, from the URL in the environment
    assert (ref.storage_data.module_name, ref.storage_data.class_name) == ("dagster_postgres", "DagsterPostgresStorage")
    assert yaml.safe_load(ref.storage_data.config_yaml) == {"postgres_url": {"env": "DAGSTER_POSTGRES_URL"}}
    # every class the instance loads accepts its config (the storage's schema, pg_config, was checked above)
    for data in (ref.run_coordinator_data, ref.compute_logs_data, ref.local_artifact_storage_data):
        klass = class_from_code_pointer(data.module_name, data.class_name)
        result = validate_config(klass.config_type(), yaml.safe_load(data.config_yaml))
        assert result.success, (data.class_name, result.errors)
    assert ref.run_coordinator_data.class_name == "QueuedRunCoordinator"
    assert validated["telemetry"] == {"enabled": False}


def test_postgres_instance_runs_one_refresh_at_a_time_like_the_local_instance(tmp_path, instance_env):
    _, ref = instance_config(tmp_path, load_yaml(INSTANCE_YAML))
    concurrency = effective_concurrency(ref)
    assert concurrency.run_queue_config.max_concurrent_runs == 1
    assert concurrency.pool_config.default_pool_limit == 1
    local = load_yaml(REPO / "orchestration" / "dagster.yaml")
    assert load_yaml(INSTANCE_YAML)["concurrency"] == local["concurrency"]


@pytest.mark.parametrize(
    "change, error",
    [
        (lambda c: c["storage"]["postgres"].update(postgres_uri=c["storage"]["postgres"].pop("postgres_url")), "uri"),
        (lambda c: c["run_coordinator"].update(config={"max_concurrent_runs": 2}), "max_concurrent_runs"),
        (lambda c: c["concurrency"]["pools"].update(default_limit=-1), "default_limit"),
    ],
    ids=["misspelt storage key", "limit set twice", "negative pool limit"],
)
def test_instance_validation_rejects_a_broken_variant(tmp_path, instance_env, change, error):
    config = load_yaml(INSTANCE_YAML)
    change(config)
    with pytest.raises(DagsterInvalidConfigError) as raised:
        instance_config(tmp_path, config)
    assert error in str(raised.value) + json.dumps([str(e) for e in raised.value.errors])


# --- deploy/compose.yaml ------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def compose() -> dict:
    return load_yaml(DEPLOY / "compose.yaml")


def compose_errors(document: dict) -> list[str]:
    schema = json.loads((REPO / "tests" / "fixtures" / "deploy" / "compose-spec.json").read_text())
    return [
        f"{'/'.join(map(str, e.path))}: {e.message}" for e in jsonschema.Draft7Validator(schema).iter_errors(document)
    ]


def test_compose_file_follows_the_compose_specification(compose):
    assert compose_errors(compose) == []
    broken = {**compose, "services": {**compose["services"], "code": {**compose["services"]["code"], "volume": []}}}
    assert compose_errors(broken), "the schema must reject an unknown service key"


def test_compose_services_load_the_same_instance(compose):
    services = compose["services"]
    needed = env_names(load_yaml(INSTANCE_YAML))
    for name in DAGSTER_SERVICES:
        assert needed <= set(services[name]["environment"]), (
            f"{name} lacks {needed - set(services[name]['environment'])}"
        )
        assert services[name]["image"] == services["code"]["image"]
    url = services["code"]["environment"]["DAGSTER_POSTGRES_URL"]
    assert re.fullmatch(r"postgresql://dagster:\$\{DAGSTER_PG_PASSWORD:\?[^}]+\}@postgres:5432/dagster", url)
    pg = services["postgres"]["environment"]
    assert (pg["POSTGRES_USER"], pg["POSTGRES_DB"]) == ("dagster", "dagster")


def test_compose_secrets_come_only_from_the_environment(compose):
    interpolated = set(re.findall(r"\$\{(\w+)", (DEPLOY / "compose.yaml").read_text()))
    assert set(compose["services"]["code"]["environment"]) >= API_KEY_ENVS  # the names the connectors read
    for service in compose["services"].values():
        for key, value in (service.get("environment") or {}).items():
            if re.search(r"PASSWORD|KEY", key):
                assert re.fullmatch(r"\$\{\w+[^}]*\}", str(value)), f"{key} must be interpolated, not written here"
    lines = (DEPLOY / ".env.example").read_text().splitlines()
    example = {line.split("=")[0] for line in lines if re.match(r"\w+=", line)}
    assert interpolated == example == API_KEY_ENVS | {"DAGSTER_PG_PASSWORD"}
    assert ".env" in (DEPLOY / ".gitignore").read_text().split()


def test_compose_has_one_writer_and_read_only_readers(compose):
    services = compose["services"]
    mounts = {name: s.get("volumes", []) for name, s in services.items()}
    warehouse_dir = services["code"]["environment"]["WAREHOUSE_DIR"]
    assert mounts["code"] == [f"warehouse:{warehouse_dir}"]
    assert mounts["webserver"] == mounts["bi"] == [f"warehouse:{warehouse_dir}:ro"]
    assert "daemon" not in {n for n, m in mounts.items() if any(v.startswith("warehouse:") for v in m)}
    writers = [n for n, m in mounts.items() if any(re.fullmatch(r"warehouse:[^:]+(:rw)?", v) for v in m)]
    assert writers == ["code"]
    assert services["code"]["environment"]["DAGSTER_STORAGE_DIR"].startswith(warehouse_dir + "/")
    assert services["bi"]["environment"]["WAREHOUSE_DIR"] == warehouse_dir


def test_compose_workspace_points_at_the_code_server(compose):
    [entry] = load_yaml(DEPLOY / "workspace.yaml")["load_from"]
    server = entry["grpc_server"]
    command = compose["services"]["code"]["command"]
    assert command[:3] == ["dagster", "code-server", "start"]
    assert server["host"] == "code" and str(server["port"]) == command[command.index("-p") + 1]
    assert command[command.index("-m") + 1] == DAGSTER_TOOL["module_name"]
    assert server["location_name"] == DAGSTER_TOOL["code_location_name"]
    for name in ("webserver", "daemon"):
        assert "deploy/workspace.yaml" in compose["services"][name]["command"]


def test_dockerfile_bakes_the_postgres_instance_and_extra():
    dockerfile = (DEPLOY / "Dockerfile").read_text()
    assert "COPY deploy/dagster.postgres.yaml ${DAGSTER_HOME}/dagster.yaml" in dockerfile
    assert re.search(r"pip install .*-c requirements\.lock -e '\.\[postgres[,\]]", dockerfile)
    extras = PYPROJECT["project"]["optional-dependencies"]
    dagster_dbt = next(d for d in PYPROJECT["project"]["dependencies"] if d.startswith("dagster-dbt=="))
    assert extras["postgres"] == [f"dagster-postgres=={dagster_dbt.split('==')[1]}"]  # libraries share 0.x versions


# --- deploy/helm/values.yaml --------------------------------------------------------------------------------

# Keys the dagster/dagster chart (1.13) accepts, from its values schema (helm/dagster/schema/schema/charts/…: the
# pydantic models the chart's values.schema.json is generated from; models with extra="forbid" reject others).
K8S = None  # a Kubernetes object: not checked further
CHART_KEYS = {
    "global": {
        "postgresqlSecretName": K8S,
        "postgresqlSecretUsernameKey": K8S,
        "dagsterHome": K8S,
        "serviceAccountName": K8S,
        "celeryConfigSecretName": K8S,
        "dagsterInstanceConfigMap": K8S,
    },
    "generatePostgresqlPasswordSecret": K8S,
    "postgresql": dict.fromkeys(
        ["image", "enabled", "postgresqlHost", "postgresqlUsername", "postgresqlPassword", "postgresqlDatabase"]
        + ["postgresqlParams", "postgresqlScheme", "service"]
    ),
    "dagster-user-deployments": {
        "enabled": K8S,
        "enableSubchart": K8S,
        "imagePullSecrets": K8S,
        "deployments": dict.fromkeys(
            ["name", "image", "port", "dagsterApiGrpcArgs", "codeServerArgs", "includeConfigInLaunchedRuns", "env"]
            + ["envConfigMaps", "envSecrets", "annotations", "nodeSelector", "affinity", "tolerations"]
            + ["podSecurityContext", "securityContext", "resources", "livenessProbe", "readinessProbe"]
            + ["startupProbe", "labels", "volumeMounts", "volumes", "schedulerName", "replicaCount"]
            + ["initContainers", "sidecarContainers"]
        ),
    },
    "runLauncher": {"type": K8S, "config": K8S},
    "dagsterDaemon": {
        "enabled": K8S,
        "runCoordinator": {
            "enabled": K8S,
            "type": K8S,
            "config": {
                "queuedRunCoordinator": dict.fromkeys(
                    ["maxConcurrentRuns", "tagConcurrencyLimits", "dequeueIntervalSeconds", "dequeueNumWorkers"]
                    + ["dequeueUseThreads", "blockOpConcurrencyLimitedRuns"]
                ),
                "customRunCoordinator": K8S,
            },
        },
        **dict.fromkeys(["image", "heartbeatTolerance", "env", "envConfigMaps", "envSecrets", "nodeSelector"]),
        **dict.fromkeys(["resources", "volumes", "volumeMounts", "runMonitoring", "runRetries", "sensors"]),
        **dict.fromkeys(["schedules", "podSecurityContext", "securityContext", "annotations", "labels"]),
    },
    "concurrency": {
        "enabled": K8S,
        "pools": dict.fromkeys(["defaultLimit", "granularity", "opGranularityRunBuffer"]),
        "runs": dict.fromkeys(["maxConcurrentRuns", "tagConcurrencyLimits"]),
    },
    "telemetry": {"enabled": K8S},
    **dict.fromkeys(["dagsterWebserver", "computeLogManager", "scheduler", "pythonLogs", "retention"]),
    **dict.fromkeys(["serviceAccount", "imagePullSecrets", "ingress", "additionalInstanceConfig"]),
}
RUN_LAUNCHERS = {"K8sRunLauncher", "CeleryK8sRunLauncher", "CustomRunLauncher"}


def unknown_keys(values, allowed, path: str = "") -> list[str]:
    """Paths in `values` the chart's schema does not know (lists: every item against the same keys)."""
    if allowed is K8S:
        return []
    if isinstance(values, list):
        return [p for item in values for p in unknown_keys(item, allowed, path + "[]")]
    return [
        p
        for key, value in values.items()
        for p in ([f"{path}{key}"] if key not in allowed else unknown_keys(value, allowed[key], f"{path}{key}."))
    ]


@pytest.fixture(scope="module")
def helm() -> dict:
    return load_yaml(DEPLOY / "helm" / "values.yaml")


def test_helm_values_use_only_keys_the_chart_knows(helm):
    assert unknown_keys(helm, CHART_KEYS) == []
    assert unknown_keys({"postgresql": {"postgresqlHostname": "x"}}, CHART_KEYS) == ["postgresql.postgresqlHostname"]
    assert helm["runLauncher"]["type"] in RUN_LAUNCHERS


def chart_instance(helm: dict) -> dict:
    """The instance blocks the chart renders from these values (templates/configmap-instance.yaml and
    helpers/instance/_postgresql.tpl, _run-coordinator.tpl, _concurrency.tpl), storage and limits only."""
    pg = helm["postgresql"]
    postgres = {
        "postgres_db": {
            "username": pg["postgresqlUsername"],
            "password": {"env": "DAGSTER_PG_PASSWORD"},  # from the secret global.postgresqlSecretName
            "hostname": pg["postgresqlHost"],
            "db_name": pg["postgresqlDatabase"],
            "port": pg["service"]["port"],
            "params": pg.get("postgresqlParams", {}),
        }
    }
    snake = lambda key: re.sub(r"(?<!^)([A-Z])", r"_\1", key).lower()  # noqa: E731
    coordinator = helm["dagsterDaemon"]["runCoordinator"]
    queued = (coordinator.get("config") or {}).get("queuedRunCoordinator") or {}
    concurrency = helm["concurrency"]
    return {
        **{
            f"{kind}_storage": {"module": f"dagster_postgres.{kind}_storage", "class": cls, "config": postgres}
            for kind, cls in (("run", "PostgresRunStorage"), ("schedule", "PostgresScheduleStorage"))
        },
        "event_log_storage": {"module": "dagster_postgres.event_log", "class": "PostgresEventLogStorage"}
        | {"config": postgres},
        "run_coordinator": {"module": "dagster.core.run_coordinator", "class": coordinator["type"]}
        | ({"config": {snake(k): v for k, v in queued.items()}} if queued else {}),
        "concurrency": {
            part: {snake(k): v for k, v in concurrency.get(part, {}).items()} for part in ("runs", "pools")
        },
        "telemetry": helm["telemetry"],
    }


def test_helm_values_render_the_limits_of_the_postgres_instance(tmp_path, helm):
    assert helm["dagsterDaemon"]["runCoordinator"] == {"enabled": True, "type": "QueuedRunCoordinator"}
    assert helm["concurrency"]["enabled"] is True
    rendered = chart_instance(helm)
    assert rendered["concurrency"] == load_yaml(INSTANCE_YAML)["concurrency"]
    _, ref = instance_config(tmp_path, rendered)
    assert effective_concurrency(ref).run_queue_config.max_concurrent_runs == 1
    assert rendered["telemetry"] == {"enabled": False}
    # the chart refuses the run limit in both places; Dagster too
    helm_twice = json.loads(json.dumps(helm))
    helm_twice["dagsterDaemon"]["runCoordinator"]["config"] = {"queuedRunCoordinator": {"maxConcurrentRuns": 1}}
    with pytest.raises(DagsterInvalidConfigError):
        instance_config(tmp_path, chart_instance(helm_twice))


def test_helm_code_location_mounts_the_writer_volume_for_its_runs(helm):
    [deployment] = helm["dagster-user-deployments"]["deployments"]
    args = deployment["codeServerArgs"]
    assert args[args.index("-m") + 1] == DAGSTER_TOOL["module_name"]
    assert deployment["includeConfigInLaunchedRuns"] == {"enabled": True}  # run pods get env, volume, nodeSelector
    [volume], [mount] = deployment["volumes"], deployment["volumeMounts"]
    pvc = load_yaml(DEPLOY / "helm" / "warehouse-pvc.yaml")
    assert volume["persistentVolumeClaim"]["claimName"] == pvc["metadata"]["name"]
    assert mount["name"] == volume["name"]
    assert {e["name"]: e["value"] for e in deployment["env"]}["WAREHOUSE_DIR"] == mount["mountPath"]
    assert pvc["spec"]["accessModes"] == ["ReadWriteOnce"] and deployment["nodeSelector"]


def test_helm_values_hold_no_secret(helm):
    text = (DEPLOY / "helm" / "values.yaml").read_text()
    assert "postgresqlPassword" not in text and helm["generatePostgresqlPasswordSecret"] is False
    assert helm["global"]["postgresqlSecretName"]
    [deployment] = helm["dagster-user-deployments"]["deployments"]
    assert not API_KEY_ENVS & {e["name"] for e in deployment["env"]}  # API keys only through envSecrets
    assert deployment["envSecrets"]


# --- scripts/check_postgres.py ------------------------------------------------------------------------------

Run = check_postgres.Run
FILES = {"kcs_monthly_partner/a.xml", "firm_size_exports/b.csv"}


def two_runs(**second) -> list:
    first = Run("aaaaaaaa-1", "SUCCESS", "kcs_monthly_partner/a.xml", 100.0, 101.0, 160.0, 58, 58)
    values = {"run_id": "bbbbbbbb-2", "status": "SUCCESS", "landing_file": "firm_size_exports/b.csv"}
    values |= {"queued": 100.5, "started": 161.0, "ended": 170.0, "materializations": 6, "assets": 6} | second
    return [first, Run(**values)]


def test_overlapping_intervals():
    assert check_postgres.overlapping([("a", 0, 10), ("b", 10, 20), ("c", 25, 30)]) == []
    assert check_postgres.overlapping([("b", 5, 12), ("a", 0, 10), ("c", 11, 13)]) == [("a", "b"), ("b", "c")]
    assert check_postgres.overlapping([("a", 0, 100), ("b", 10, 20)]) == [("a", "b")]


def test_check_runs_passes_two_sequential_runs_the_queue_held():
    lines = check_postgres.check_runs(two_runs(), FILES)
    assert len(lines) == 5
    assert "bbbbbbbb started 1.0 s after aaaaaaaa ended" in lines[2]
    assert "enqueued 59.5 s before aaaaaaaa ended" in lines[3]


@pytest.mark.parametrize(
    "second, message",
    [
        ({"started": 150.0}, "runs overlapped in time: aaaaaaaa and bbbbbbbb"),
        ({"status": "FAILURE"}, "not every run succeeded: bbbbbbbb FAILURE"),
        ({"queued": 165.0}, "the queue never had to hold a run"),
        ({"materializations": 0, "assets": 0}, "no ASSET_MATERIALIZATION event in event_logs for run(s) bbbbbbbb"),
        ({"landing_file": None}, "expected one run per file"),
        ({"ended": None}, "no run start or end event in event_logs for run(s) bbbbbbbb"),
    ],
)
def test_check_runs_fails_with_one_line(second, message):
    with pytest.raises(check_postgres.CheckFailed, match=re.escape(message)):
        check_postgres.check_runs(two_runs(**second), FILES)


def test_timeline_lists_runs_in_start_order():
    table = check_postgres.timeline(list(reversed(two_runs()))).splitlines()
    header = ["run", "landing_file", "queued", "started", "ended", "waited", "ran", "materializations", "status"]
    assert table[0].split() == header
    assert [row.split()[0] for row in table[1:]] == ["aaaaaaaa", "bbbbbbbb"]
    assert table[2].split()[2:] == ["00:01:40.5", "00:02:41.0", "00:02:50.0", "60.5", "s", "9.0", "s", "6", "SUCCESS"]


def test_server_bin_dir_takes_the_newest_complete_installation(tmp_path):
    for version, tools in (("13", ("initdb", "pg_ctl")), ("15", ("initdb", "pg_ctl")), ("16", ("initdb",))):
        bin_dir = tmp_path / version / "bin"
        bin_dir.mkdir(parents=True)
        for tool in tools:
            (bin_dir / tool).touch()
    candidates = sorted(str(p) for p in tmp_path.glob("*/bin"))
    assert check_postgres.server_bin_dir(candidates) == tmp_path / "15" / "bin"
    assert check_postgres.server_bin_dir([str(tmp_path / "16" / "bin")]) is None
