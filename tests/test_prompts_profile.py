"""The profile mode prompts, as golden text, and what ``syda inspect --prompt-preview`` shows.

Each case compiles the prompt that asks an LLM for a CRM table's profile (see
``tests/test_prompts.py`` for the rows prompts) and compares it with
``tests/golden/prompts/<case>.txt``. After an intended change, rewrite and review the diff::

    SYDA_UPDATE_GOLDEN=1 .venv/bin/pytest tests/test_prompts_profile.py

A changed prompt changes the recorded requests too: re-record the profile cassettes
(``.venv/bin/pytest tests/providers/test_profile_llm.py --record-mode=rewrite``).
"""

from __future__ import annotations

import datetime as dt

import pytest

from examples.crm_models import MODELS
from syda import LLMProvider, ModelConfig, SyntheticDataGenerator, load_schema
from syda.cli import main
from syda.prompts import compile_profile_prompt
from syda.providers.testing import ScriptedClient
from tests.support.recording import DUMMY_KEY
from tests.test_prompts import check_golden, section

SCHEMA = load_schema(MODELS)


def llm_generator(**config: object) -> SyntheticDataGenerator:
    client = ScriptedClient(lambda request: "{}")
    cfg = ModelConfig(provider="openai", api_key=DUMMY_KEY, **config)  # type: ignore[arg-type]
    return SyntheticDataGenerator(provider=LLMProvider(cfg, client_factory=lambda _: client))


def test_profile_system_prompt_golden() -> None:
    gen = llm_generator()
    order = gen.compile_prompt(MODELS, "Order", rows=1000)
    check_golden("profile_system", order.system)
    # One fixed system prompt for every table: a prefix the providers cache.
    assert gen.compile_prompt(MODELS, "Customer", rows=5000).system == order.system
    assert "Unique columns get a semantic or a template, never values." in order.system


def test_order_profile_prompt_golden() -> None:
    user = llm_generator().compile_prompt(MODELS, "Order", rows=1000, prompt="B2B SaaS orders").user
    check_golden("profile_order", user)
    assert section(user, "Columns to profile:")[::2] == [
        "- order_date (date; NOT NULL): Date when order was placed",
        "- shipped_date (date; nullable): Date when the order left the warehouse",
        '- status (string; NOT NULL; one of ["New", "Processing", "Shipped", "Delivered", '
        '"Cancelled"]): Order status',
        "- updated_at (datetime; nullable): Last time the order was changed",
    ]
    assert "- customer (customer_id -> Customer): id (integer), name (string)," in user
    assert "- shipped_date >= order_date (when both are set)" in user
    assert "Return exactly" not in user


def test_order_item_profile_reask_golden() -> None:
    table = SCHEMA.table("OrderItem")
    prompt = compile_profile_prompt(
        table,
        ["discount_pct"],
        {"discount_pct": {"semantic": "discount"}},
        today=dt.date(2026, 1, 1),
        fixed=['quantity (integer): your spec {"distribution": {"kind": "poisson"}}'],
        errors=["OrderItem.discount_pct: max 90 is above the column's own maximum 50", "  "],
        table_keys=False,
    )
    check_golden("profile_order_item_reask", prompt.user)
    assert section(prompt.user, "Your previous answer was rejected:") == [
        "- OrderItem.discount_pct: max 90 is above the column's own maximum 50",
        "Fix every problem.",
    ]
    assert prompt.user.rstrip().endswith("Write the profile of 1 column.")


def test_small_tables_keep_the_rows_prompt() -> None:
    gen = llm_generator()
    assert "Return exactly 10 rows," in gen.compile_prompt(MODELS, "Order").user
    forced = llm_generator(mode="rows").compile_prompt(MODELS, "Order", rows=1000)
    assert "Columns to write, in this order in every row:" in forced.system


def test_inspect_prompt_preview_shows_the_profile_prompt(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("OPENAI_API_KEY", DUMMY_KEY)
    code = main(
        ["inspect", "examples/crm_models.py", "--provider", "openai", "--rows", "1000",
         "--prompt", "Order=B2B SaaS orders", "--prompt-preview"]
    )  # fmt: skip
    out = capsys.readouterr().out
    assert code == 0
    expected = llm_generator().compile_prompt(MODELS, "Order", rows=1000, prompt="B2B SaaS orders")
    title = "Profile prompt for Order (profile mode: one call writes its profile)"
    assert f"{title}\n{'-' * len(title)}\n{expected.user.strip()}\n" in out
    assert out.count("System prompt (profile mode)") == 1
    assert expected.system.strip() in out
