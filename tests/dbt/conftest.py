import sys
from pathlib import Path

# helper modules beside the tests (raw_warehouse, sample_persons)
sys.path.insert(0, str(Path(__file__).resolve().parent))
