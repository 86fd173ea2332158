"""qwen-tui: which AI model releases can you still download, under what license, and which are cloud-only.

Importing this package imports nothing heavy: headless commands (``qwen-tui list --json``) must not
pay for Textual or huggingface_hub. Those are imported by the modules that need them.
"""

__version__ = "0.1.0"
