import pytest

from cami_extract.config import load_settings
from cami_extract.errors import BadSetting


def test_layers_file_then_environment_then_options(tmp_path):
    cfg = tmp_path / "cami.cfg"
    cfg.write_text("[cami]\nworkers = 3\ntimeout = 30\ndb = from-file.sqlite\n")
    s = load_settings(
        config_file=cfg, env={"CAMI_TIMEOUT": "45", "CAMI_DB": "env.sqlite"}, overrides={"db": "cli.sqlite"}
    )
    assert (s.workers, s.timeout, s.db) == (3, 45.0, "cli.sqlite")


def test_unknown_keys_and_bad_values_are_rejected(tmp_path):
    cfg = tmp_path / "cami.cfg"
    cfg.write_text("[cami]\nworkerz = 3\n")
    with pytest.raises(BadSetting, match=r"E401.*workerz"):
        load_settings(config_file=cfg, env={})
    with pytest.raises(BadSetting, match="timeout"):
        load_settings(env={"CAMI_TIMEOUT": "soon"})
    with pytest.raises(BadSetting):
        load_settings(env={}, overrides={"memory_limit": 10})


def test_extract_accepts_yes_and_no():
    assert load_settings(env={"CAMI_EXTRACT": "no"}).extract is False
