from app.history import chain as history
from app.site.audit import record_if_changed
from app.site.config import load_site
from app.store import Store
from resources import resource_path


def test_a_changed_site_configuration_is_recorded_once(data_dir, tmp_path):
    store = Store.open(data_dir)
    site_file = tmp_path / "site.toml"
    site_file.write_text(
        resource_path("demo-site.toml").read_text(encoding="utf-8"), encoding="utf-8"
    )
    assert record_if_changed(store, load_site(site_file))
    assert not record_if_changed(store, load_site(site_file))  # the same file: nothing new
    site_file.write_text(
        site_file.read_text(encoding="utf-8").replace("Demosite", "Onze site"), encoding="utf-8"
    )
    assert record_if_changed(store, load_site(site_file))
    first, second = history.events(store, "site_config_changed")
    assert second.data["previous_sha256"] == first.data["sha256"] != second.data["sha256"]
    assert history.verify(store).intact
