"""The provider registry: a provider is one file that registers itself.

A third-party provider registered here runs end to end through the public API; every built-in
provider's missing key is one actionable message; Azure OpenAI runs through the real
``openai.AsyncAzureOpenAI`` client against the stand-in (and replays from its cassette).
"""

from __future__ import annotations

import json
import sys
import zlib
from collections.abc import Iterator
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from syda import (
    ConfigurationError,
    FillRequest,
    LLMRequest,
    ModelConfig,
    OfflineProvider,
    SyntheticDataGenerator,
    load_schema,
)
from syda.cli.app import main
from syda.providers.registry import (
    ProviderSpec,
    provider_names,
    register_provider,
    unregister_provider,
)
from syda.providers.testing import ScriptedClient
from tests.support.recording import AZURE_URL, DUMMY_KEY, OPENAI_MODEL, Endpoints

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "examples"))
from crm_models import MODELS

SCHEMA = load_schema(MODELS)
SIZES = {"Customer": 6, "Contact": 12, "Product": 4, "Order": 8, "OrderItem": 16}
ECHO_MISSING = "the echo provider needs a key: set SYDA_ECHO_KEY (any text works in tests)"


def offline_rows(request: LLMRequest) -> str:
    """A well-behaved model: the asked columns and rows, drawn by the offline engine."""
    table = SCHEMA.table(request.schema_name)
    columns = request.columns  # in the order a compact row lists them
    rng = np.random.default_rng(zlib.crc32(request.user.encode()))
    values = OfflineProvider(seed=0).fill(
        FillRequest(table=table, columns=columns, n=request.rows, rng=rng)
    )
    frame = pd.DataFrame({c: pd.Series(v) for c, v in values.items()}).astype(object)
    rows = frame.where(frame.notna(), None)[list(columns)].values.tolist()
    return json.dumps({"rows": rows}, default=lambda v: getattr(v, "isoformat", lambda: str(v))())


@pytest.fixture
def echo() -> Iterator[list[ScriptedClient]]:
    """A third-party provider, ``echo``, registered as a plugin file would register it."""
    clients: list[ScriptedClient] = []

    def factory(config: ModelConfig) -> ScriptedClient:
        assert config.key() == "echo-key-for-tests"
        clients.append(ScriptedClient(offline_rows))
        return clients[-1]

    register_provider(
        ProviderSpec(
            name="echo",
            key_env="SYDA_ECHO_KEY",
            default_model="echo-1",
            missing_key=ECHO_MISSING,
            factory=factory,
        )
    )
    yield clients
    unregister_provider("echo")


def test_a_registered_provider_fills_a_schema_end_to_end(
    echo: list[ScriptedClient], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("SYDA_ECHO_KEY", "echo-key-for-tests")
    assert "echo" in provider_names()
    gen = SyntheticDataGenerator(ModelConfig(provider="echo", mode="rows"), seed=3)
    frames = gen.generate_related_data(models=MODELS, sample_sizes=SIZES)
    assert {key: len(frames[key]) for key in SIZES} == SIZES
    assert frames["OrderItem"]["order_id"].isin(frames["Order"]["id"]).all()
    assert frames["Contact"]["email"].is_unique
    # One client for the run, asked with the provider's default model, closed at the end.
    (client,) = echo
    assert client.closed and {r.model for r in client.requests} == {"echo-1"}
    report = gen.last_report
    assert report is not None and report.provider == "echo"
    assert sum(t.provider_calls for t in report.tables.values()) == len(client.requests)
    assert report.output_tokens > 0


def test_the_cli_takes_a_registered_provider(
    echo: list[ScriptedClient],
    monkeypatch: pytest.MonkeyPatch,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:
    monkeypatch.setenv("SYDA_ECHO_KEY", "echo-key-for-tests")
    models = Path(__file__).resolve().parents[2] / "examples" / "crm_models.py"
    code = main(
        [
            "generate",
            str(models),
            "--provider",
            "echo",
            "--llm-mode",
            "rows",
            "--rows",
            "3",
            "--out",
            str(tmp_path),
        ]
    )
    assert code == 0, capsys.readouterr().err
    assert len(pd.read_csv(tmp_path / "customers.csv")) == 3
    assert echo and all(c.closed for c in echo)


def test_an_unregistered_provider_names_the_registered_ones(echo: list[ScriptedClient]) -> None:
    with pytest.raises(ConfigurationError) as info:
        ModelConfig(provider="gemini")
    assert str(info.value) == (
        "unknown provider 'gemini'; choose one of offline, anthropic, azure, echo, openai"
    )


@pytest.mark.parametrize(
    ("provider", "variable"),
    [
        ("openai", "OPENAI_API_KEY"),
        ("anthropic", "ANTHROPIC_API_KEY"),
        ("azure", "AZURE_OPENAI_API_KEY"),
        ("echo", "SYDA_ECHO_KEY"),
    ],
)
def test_a_missing_key_is_one_message_naming_its_variable(
    echo: list[ScriptedClient], monkeypatch: pytest.MonkeyPatch, provider: str, variable: str
) -> None:
    monkeypatch.delenv(variable, raising=False)
    with pytest.raises(ConfigurationError) as info:
        SyntheticDataGenerator(ModelConfig(provider=provider))
    message = str(info.value)
    assert f"set {variable}" in message and "\n" not in message
    if provider == "echo":
        assert message == ECHO_MISSING  # a provider's own words, shown as they are
    else:
        assert "api_key" in message  # and the other way to give it
    assert not echo  # nothing was built, nothing was called


def test_azure_needs_its_endpoint(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("AZURE_OPENAI_ENDPOINT", raising=False)
    with pytest.raises(ConfigurationError, match="AZURE_OPENAI_ENDPOINT"):
        SyntheticDataGenerator(ModelConfig(provider="azure", api_key=DUMMY_KEY)).generate_data(
            schema=MODELS[0], sample_size=2
        )


@pytest.mark.vcr
def test_azure_openai_through_the_real_client(llm_endpoints: Endpoints) -> None:
    # The deployment is the model; the endpoint is the resource's (the stand-in's when recording).
    if llm_endpoints.mode == "standin":
        endpoint = llm_endpoints.openai_base_url.removesuffix("/v1")
    else:
        endpoint = AZURE_URL
    config = ModelConfig(
        provider="azure",
        base_url=endpoint,
        api_key=DUMMY_KEY,
        model_name=OPENAI_MODEL,
        mode="rows",
        max_tokens=600,
    )
    gen = SyntheticDataGenerator(config, seed=0)
    frames = gen.generate_related_data(
        models=MODELS, sample_sizes={"Customer": 4, "Contact": 6, "Product": 3}
    )
    assert len(frames["Contact"]) == 6 and frames["Contact"]["email"].is_unique
    assert frames["Contact"]["customer_id"].isin(frames["Customer"]["id"]).all()
    report = gen.last_report
    assert report is not None and report.provider == "azure" and report.output_tokens > 0
    if llm_endpoints.mode == "standin":
        paths = {r.path for r in llm_endpoints.standin.requests}
        assert paths == {f"/openai/deployments/{OPENAI_MODEL}/chat/completions"}
        assert all(r.headers.get("api-key") == DUMMY_KEY for r in llm_endpoints.standin.requests)


def test_a_spec_registered_under_a_built_in_name_replaces_it() -> None:
    """In a fresh interpreter, before the built-ins are loaded: they must not undo it."""
    import subprocess

    code = (
        "from syda.providers.registry import ProviderSpec, provider_spec, register_provider\n"
        "register_provider(ProviderSpec(name='openai', key_env='MY_KEY', default_model='mine',"
        " missing_key='set MY_KEY', factory=lambda config: None))\n"
        "print(provider_spec('openai').default_model, provider_spec('azure').name)\n"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    assert done.stdout.split() == ["mine", "azure"]
