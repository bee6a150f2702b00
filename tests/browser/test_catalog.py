"""The catalog pages in Chromium: an admin edits a treatment in place and deletes it, and
creates a professional (then lands on their schedule) and deletes them; each delete
asks first, and keeping the record leaves it."""

from __future__ import annotations

import uuid

import pytest
from playwright.sync_api import Page, expect

pytestmark = [
    pytest.mark.browser,
    pytest.mark.slow,
    pytest.mark.devstack,  # the demo clinic's admin
    pytest.mark.xdist_group("browser"),
]


def delete_row(page: Page, name: str, title: str) -> None:
    """Delete ``name``'s row: keep it once (the dialog closes, the row stays), then confirm."""
    page.get_by_role("button", name=f"Eliminar: {name}").click()
    dialog = page.get_by_role("dialog", name=title)
    expect(dialog).to_contain_text(f"«{name}»")
    dialog.get_by_role("button", name="No, conservar").click()
    expect(dialog).to_be_hidden()
    expect(page.get_by_role("rowheader", name=name)).to_be_visible()
    page.get_by_role("button", name=f"Eliminar: {name}").click()
    dialog.get_by_role("button", name="Eliminar").click()
    expect(dialog).to_be_hidden()
    expect(page.get_by_role("rowheader", name=name)).to_have_count(0)


def test_an_admin_edits_a_treatment_in_place_then_deletes_it(page: Page, sign_in) -> None:
    name = f"Carillas {uuid.uuid4().hex[:6]}"
    sign_in(page, "Admin", "/treatments")
    form = page.get_by_role("form", name="Nuevo tratamiento")
    form.get_by_label("Nombre").fill(name)
    form.get_by_role("button", name="Crear tratamiento").click()
    expect(page.get_by_role("status").filter(has_text=f"Tratamiento «{name}» creado.")).to_be_visible()

    page.get_by_role("button", name=f"Editar: {name}").click()
    editing = page.get_by_role("form", name=f"Editar «{name}»")
    expect(editing.get_by_role("heading", level=2)).to_be_focused()
    expect(editing.get_by_label("Nombre")).to_have_value(name)
    editing.get_by_label("Duración (minutos)").fill("50")
    editing.get_by_role("button", name="Guardar").click()
    expect(page.get_by_role("status").filter(has_text="Tratamiento guardado.")).to_be_visible()
    expect(page.get_by_role("form", name="Nuevo tratamiento")).to_be_visible()  # the form is new again
    expect(page.get_by_role("row", name=name)).to_contain_text("50 min")

    delete_row(page, name, "¿Eliminar el tratamiento?")
    expect(page.get_by_role("status").filter(has_text=f"Tratamiento «{name}» eliminado.")).to_be_visible()


def test_an_admin_creates_a_professional_then_deletes_them(page: Page, sign_in) -> None:
    name = f"Dra. Prueba {uuid.uuid4().hex[:6]}"
    sign_in(page, "Admin", "/professionals")
    form = page.get_by_role("form", name="Nuevo profesional")
    form.get_by_label("Nombre").fill(name)
    form.get_by_role("group", name="Tratamientos que ofrece").get_by_role("checkbox").first.check()
    form.get_by_role("button", name="Crear profesional").click()
    expect(page.get_by_role("status").filter(has_text=f"Profesional «{name}» creado.")).to_be_visible()
    expect(page.get_by_role("heading", level=1)).to_have_text(name)  # on to their schedule

    page.get_by_role("navigation", name="Principal").get_by_role("link", name="Profesionales").click()
    delete_row(page, name, "¿Eliminar al profesional?")
    expect(page.get_by_role("status").filter(has_text=f"Profesional «{name}» eliminado.")).to_be_visible()
