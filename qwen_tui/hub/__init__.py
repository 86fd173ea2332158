"""Talking to the Hugging Face Hub: the HTTP client, the fetches, and ModelInfo -> HubRepo.

Imported only by `qwen_tui.sync` when a refresh runs, so headless commands never pay for
huggingface_hub. `settings` and `redact` are the light modules here (no huggingface_hub import).
"""
