"""How things read and look, for the CLI and the explorer alike: Rich only, never Textual.

- `status`: each status's glyph, word and colour; compact counts; the openness bar.
- `wording`: the words for a license's commercial use and for the age of the Hub data.
- `detail`: one release's detail and the side-by-side comparison, as Rich renderables.

One rule lives in one place here, so `list` in a terminal and the explorer cannot drift apart.
"""
