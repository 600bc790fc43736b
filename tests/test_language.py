def test_pages_are_indonesian_even_when_the_browser_asks_for_english(client, city):
    page = client.get("/akun/masuk/", headers={"Accept-Language": "en-US,en;q=0.9"})
    assert page["Content-Language"] == "id"
    assert b'lang="id"' in page.content


def test_the_language_switch_chooses_english(client, city):
    client.post("/i18n/setlang/", {"language": "en", "next": "/akun/masuk/"})
    assert client.get("/akun/masuk/")["Content-Language"] == "en"
