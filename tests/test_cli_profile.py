"""``syda profile``, ``--profile FILE`` and the specs inspect shows, as a user runs them."""

from __future__ import annotations

import textwrap
from pathlib import Path

import pandas as pd
import pytest
import sqlalchemy as sa
import yaml

from syda import SyntheticDataGenerator, load_schema
from syda.cli import main
from syda.cli.specs import SPEC_WIDTH, column_spec_text, table_spec_lines
from syda.profile import ColumnProfile, TableProfile, dump_profile, load_profile

DEALS = """
accounts:
  id: {type: integer, primary_key: true}
  name: company
  email: {type: email, unique: true}
deals:
  id: {type: integer, primary_key: true}
  account_id: {references: accounts.id}
  deal_type:
    type: string
    values: {New Business: 0.45, Renewal: 0.30, Upsell: 0.15, Cross-sell: 0.10}
  stage: {type: string, enum: [Open, Closed Won, Closed Lost]}
  quantity: {type: integer, min: 1, max: 10}
  unit_price: {type: decimal(10,2), min: 1, max: 100}
  total: {type: decimal(12,2), expr: quantity * unit_price}
  closed_on: {type: date, nullable: true, null_unless: "stage IN ('Closed Won', 'Closed Lost')"}
"""

MODELS = """
from sqlalchemy import Column, ForeignKey, Integer, String
from sqlalchemy.orm import DeclarativeBase


class Base(DeclarativeBase):
    pass


class Account(Base):
    __tablename__ = "accounts"
    id = Column(Integer, primary_key=True)
    status = Column(
        String(10), nullable=False, info={"syda": {"values": {"active": 0.9, "closed": 0.1}}}
    )
"""


@pytest.fixture
def deals(tmp_path: Path) -> Path:
    path = tmp_path / "deals.yaml"
    path.write_text(DEALS, encoding="utf-8")
    return path


def run(capsys: pytest.CaptureFixture[str], *args: object) -> tuple[int, str, str]:
    code = main([str(a) for a in args])
    out, err = capsys.readouterr()
    return code, out, err


def generate(capsys: pytest.CaptureFixture[str], source: Path, out: Path, *extra: object) -> bytes:
    code, _, err = run(capsys, "generate", source, "--rows", "300", "--out", out, "-q", *extra)
    assert code == 0, err
    return (out / "deals.csv").read_bytes()


# -- the round trip --------------------------------------------------------------------------------


def test_profile_written_edited_and_applied_back(
    capsys: pytest.CaptureFixture[str], deals: Path, tmp_path: Path
) -> None:
    code, out, err = run(capsys, "profile", deals)
    assert code == 0, err
    assert out.startswith("# The syda profile of ") and "--profile" in out.split("version:")[0]
    written = yaml.safe_load(out)
    columns = written["tables"]["deals"]["columns"]
    assert columns["deal_type"]["values"]["New Business"] == 0.45
    assert columns["total"]["expr"] == "quantity * unit_price"
    assert columns["stage"]["values"].keys() == {
        "Open",
        "Closed Won",
        "Closed Lost",
    }
    assert written["tables"]["accounts"]["columns"]["email"]["semantic"] == "email"
    profile = tmp_path / "profile.yaml"
    profile.write_text(out, encoding="utf-8")

    plain = generate(capsys, deals, tmp_path / "plain")
    # Applied unedited, the profile changes nothing: the same bytes for the same seed.
    assert generate(capsys, deals, tmp_path / "same", "--profile", profile) == plain

    # One weight edited by hand, as a user would in the file.
    edited = out.replace("New Business: 0.45", "New Business: 0", 1)
    assert edited != out
    profile.write_text(edited, encoding="utf-8")
    generate(capsys, deals, tmp_path / "edited", "--profile", profile)
    before = pd.read_csv(tmp_path / "plain" / "deals.csv")
    after = pd.read_csv(tmp_path / "edited" / "deals.csv")
    assert (before["deal_type"] == "New Business").any()
    assert not (after["deal_type"] == "New Business").any()
    assert set(after["deal_type"]) == {"Renewal", "Upsell", "Cross-sell"}
    # What the file leaves alone still holds: the expression and the conditional NULLs.
    assert (after["total"] - after["quantity"] * after["unit_price"]).abs().max() < 0.01
    open_ = after["stage"] == "Open"
    assert after.loc[open_, "closed_on"].isna().all()
    assert after.loc[~open_, "closed_on"].notna().all()


def test_profile_through_the_api_gives_equal_frames(deals: Path) -> None:
    schema = load_schema(deals)
    gen = SyntheticDataGenerator(seed=7)
    text = dump_profile(gen.profile(schema))
    reloaded = load_profile(yaml.safe_load(text))
    sizes = {"accounts": 50, "deals": 400}
    plain = SyntheticDataGenerator(seed=7).generate_related_data(schema, sample_sizes=sizes)
    again = SyntheticDataGenerator(seed=7).generate_related_data(
        schema, sample_sizes=sizes, profile=reloaded
    )
    assert plain.keys() == again.keys()
    for key in plain:
        pd.testing.assert_frame_equal(plain[key], again[key])


def test_profile_of_models_with_info_to_a_file(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    models = tmp_path / "models.py"
    models.write_text(textwrap.dedent(MODELS), encoding="utf-8")
    target = tmp_path / "profile.yaml"
    target.write_text("old contents\n", encoding="utf-8")
    code, out, err = run(capsys, "profile", models, "-o", target)
    assert code == 0, err
    assert out == "" and "wrote the profile of 1 tables" in err
    assert sorted(p.name for p in tmp_path.iterdir()) == ["models.py", "profile.yaml"]
    loaded = load_profile(target)
    assert loaded.tables["Account"].columns["status"].values == {"active": 0.9, "closed": 0.1}
    # Overlaying a partial file prints the merged result: the overlay's key, the rest kept.
    overlay = tmp_path / "overlay.yaml"
    overlay.write_text("accounts:\n  status: {null_share: 0.0}\n", encoding="utf-8")
    code, out, err = run(capsys, "profile", models, "--profile", overlay)
    assert code == 0, err
    status = yaml.safe_load(out)["tables"]["Account"]["columns"]["status"]
    assert status["values"] == {"active": 0.9, "closed": 0.1} and status["null_share"] == 0.0
    assert f"with {overlay} applied" in out.splitlines()[0]


def test_seed_applies_the_profile(
    capsys: pytest.CaptureFixture[str], deals: Path, tmp_path: Path
) -> None:
    profile = tmp_path / "p.yaml"
    profile.write_text("deals:\n  deal_type: {values: [Renewal]}\n", encoding="utf-8")
    url = f"sqlite:///{tmp_path / 'dev.db'}"
    code, _, err = run(capsys, "seed", deals, "--db", url, "--profile", profile, "-q")
    assert code == 0, err
    with sa.create_engine(url).connect() as conn:
        types = conn.execute(sa.text("SELECT DISTINCT deal_type FROM deals")).scalars().all()
    assert types == ["Renewal"]


# -- errors ----------------------------------------------------------------------------------------


BAD_PROFILE = """
deals:
  nope: {values: [a]}
  deal_type: {valuez: [a], null_share: lots}
ghost:
  x: {values: [1]}
"""


@pytest.mark.parametrize("command", ["generate", "inspect", "profile"])
def test_a_bad_profile_lists_every_problem(
    capsys: pytest.CaptureFixture[str], deals: Path, tmp_path: Path, command: str
) -> None:
    bad = tmp_path / "bad.yaml"
    bad.write_text(BAD_PROFILE, encoding="utf-8")
    extra = ["--out", tmp_path / "out"] if command == "generate" else []
    code, out, err = run(capsys, command, deals, "--profile", bad, *extra)
    assert code == 2 and out == ""
    assert "Traceback" not in err
    first, *listed = err.splitlines()
    assert first == f"syda: error: 4 problems in {bad}:"
    assert len(listed) == 4
    text = "\n".join(listed)
    assert "deal_type.valuez: unknown key" in text
    assert "deal_type.null_share:" in text and "number" in text
    assert "deals has no column 'nope'" in text
    assert "table 'ghost' is not in the schema" in text
    assert not (tmp_path / "out").exists()


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("missing.yaml", None, "no such file"),
        ("profile.txt", "x: 1", "use a .yaml, .yml or .json file"),
        ("broken.yaml", "deals: [\n", "cannot parse"),
    ],
)
def test_an_unreadable_profile_is_one_line(
    capsys: pytest.CaptureFixture[str],
    deals: Path,
    tmp_path: Path,
    name: str,
    content: str | None,
    message: str,
) -> None:
    path = tmp_path / name
    if content is not None:
        path.write_text(content, encoding="utf-8")
    code, _, err = run(capsys, "inspect", deals, "--profile", path)
    assert code == 2 and err.startswith("syda: error: ") and message in err
    assert err.count("\n") == 1, err


def test_output_into_a_directory_is_refused(
    capsys: pytest.CaptureFixture[str], deals: Path, tmp_path: Path
) -> None:
    code, _, err = run(capsys, "profile", deals, "-o", tmp_path)
    assert code == 2 and "is a directory" in err


# -- inspect ---------------------------------------------------------------------------------------


def test_inspect_shows_each_columns_spec(
    capsys: pytest.CaptureFixture[str], deals: Path, tmp_path: Path
) -> None:
    code, out, err = run(capsys, "inspect", deals)
    assert code == 0, err
    lines = {line.split()[0]: line for line in out.splitlines() if line.strip()}
    assert "spec" in lines["column"]
    assert "profile: values" in lines["deal_type"]
    assert "values{New Business: 0.45, Renewal: 0.3, Upsell: 0.15, ...}" in lines["deal_type"]
    assert "profile: expr" in lines["total"] and "expr quantity * unit_price" in lines["total"]
    assert "null_unless stage IN" in lines["closed_on"]
    assert "semantic email" in lines["email"]
    profile = tmp_path / "p.yaml"
    profile.write_text("deals:\n  deal_type: {values: {Renewal: 1}}\n", encoding="utf-8")
    code, out, err = run(capsys, "inspect", deals, "--profile", profile)
    assert code == 0, err
    assert "values{Renewal: 1}" in out and "New Business" not in out


def test_spec_text_is_short_and_printable() -> None:
    spec = ColumnProfile.model_validate(
        {"distribution": {"kind": "lognormal", "median": 45000, "sigma": 0.4}, "round": 2}
    )
    assert column_spec_text(spec) == "distribution lognormal(median=45000, sigma=0.4); round 2"
    long = ColumnProfile(expr=" + ".join(f"c{i}" for i in range(100)), semantic="amount")
    text = column_spec_text(long)
    assert len(text) == SPEC_WIDTH and text.startswith("expr c0 + c1") and text.endswith("...")
    assert column_spec_text(ColumnProfile(semantic="email\x1b[2J\nx")) == "semantic email?[2J x"
    stages = TableProfile.model_validate(
        {"stages": {"column": "stage", "order": ["Lead", "Won"], "reach": [1, 0.2]}}
    )
    assert table_spec_lines(stages) == ["stages stage: Lead > Won (reach 1, 0.2)"]


def test_profile_help(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "profile", "--help")
    assert code == 0
    assert "--profile FILE" in out and "--output FILE" in out and "examples:" in out
    code, out, _ = run(capsys, "generate", "--help")
    assert code == 0 and "--profile FILE" in out


# -- reading schema files --------------------------------------------------------------------------


def test_unquoted_decimal_in_a_yaml_flow_mapping(tmp_path: Path) -> None:
    path = tmp_path / "shop.yaml"
    path.write_text(
        "orders:\n"
        "  id: {type: integer, primary_key: true}\n"
        "  total: {type: decimal(10,2), nullable: true}\n"
        "  tax: {type: decimal(8, 3)}\n"
        "  note: {type: string, description: a note (see total, tax) here}\n",
        encoding="utf-8",
    )
    table = load_schema(path).table("orders")
    total, tax = table.column("total"), table.column("tax")
    assert (total.kind, total.precision, total.scale, total.nullable) == ("decimal", 10, 2, True)
    assert (tax.precision, tax.scale) == (8, 3)
    assert table.column("note").comment == "a note (see total, tax) here"
    # A quoted value is what the user wrote: it is not joined to the entry after it.
    path.write_text('t:\n  a: {type: "decimal(10", "2)": }\n', encoding="utf-8")
    with pytest.raises(Exception, match=r"decimal\(10"):
        load_schema(path)


def test_a_column_with_profile_keys_is_not_read_as_a_table() -> None:
    schema = load_schema({"amount": {"type": "float", "distribution": "lognormal"}})
    assert [(t.key, [c.name for c in t.columns]) for t in schema] == [("table", ["amount"])]
    spec = {"type": "float", "distribution": {"kind": "lognormal", "median": 100, "sigma": 0.5}}
    schema = load_schema({"amount": spec, "id": {"type": "integer", "primary_key": True}})
    assert [c.name for c in schema.table("table").columns] == ["amount", "id"]
