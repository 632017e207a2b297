"""The SYNTHETIC demo dataset: seven contract tables for about 215 fictional NHS trusts.

The demo data let anyone run the whole analysis without real data. They are calibrated to the
national figures published in the WRES reports but are not real and are marked as synthetic in
every row (a ``synthetic`` column saying ``yes``).

Modules:

- :mod:`.organisations` – the fictional trusts, their mergers and missing tables;
- :mod:`.calibration` – the published targets, how missing years are filled, the solvers;
- :mod:`.workforce`, :mod:`.likelihoods`, :mod:`.survey`, :mod:`.board` – one per table family;
- :mod:`.generate` – the seven tables from a seed;
- :mod:`.summary` – the national figures shown in the dataset's README;
- :mod:`.output`, :mod:`.cache`, :mod:`.command` – writing, the default cached dataset, the CLI.
"""

from .cache import demo_dataset_path
from .command import cli_demo_data
from .generate import DEFAULT_SEED, GENERATOR_VERSION, generate_demo_tables
from .output import write_demo_dataset

__all__ = [
    "DEFAULT_SEED",
    "GENERATOR_VERSION",
    "cli_demo_data",
    "demo_dataset_path",
    "generate_demo_tables",
    "write_demo_dataset",
]
