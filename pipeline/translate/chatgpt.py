"""ChatGPT through OpenAI's chat completions HTTP API, with deep-translator's prompt.

deep-translator 1.11's ``ChatGptTranslator`` calls ``openai.ChatCompletion``, which openai 1.0
removed, and sends through the openai package: beyond the transport's reach (no deadline, no
status codes, no size cap, no ``--provider-url``). This adapter sends the same request with
``requests``, like deep-translator's other adapters, so ``transport.install`` routes it.
"""

from __future__ import annotations

from typing import Any

import requests


class ChatGptTranslator:
    """``translate(text)`` into the language named by ``target`` (an English name: "Korean")."""

    def __init__(self, source: str, target: str, api_key: str, model: str = "gpt-3.5-turbo") -> None:
        self._source, self._target = source, target
        self._base_url = "https://api.openai.com/v1/"
        self.api_key = api_key
        self.model = model

    @property
    def source(self) -> str:
        return self._source

    @property
    def target(self) -> str:
        return self._target

    def translate(self, text: str, **kwargs: Any) -> str:
        prompt = f'Translate the text below into {self._target}.\nText: "{text}"'
        response = requests.post(
            self._base_url + "chat/completions",
            headers={"Authorization": f"Bearer {self.api_key}"},
            json={"model": self.model, "messages": [{"role": "user", "content": prompt}]},
        )
        return response.json()["choices"][0]["message"]["content"]
