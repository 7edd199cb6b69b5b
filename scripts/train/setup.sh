#!/usr/bin/env bash
# Creates the training venv (default ./venv). Fonts make the generated pages look like real forms.
set -euo pipefail
VENV=${VENV:-venv}
if command -v apt-get >/dev/null && [ "$(id -u)" = 0 ]; then
  apt-get install -y -q fonts-liberation fonts-dejavu-core fonts-urw-base35 fonts-freefont-ttf \
    fonts-crosextra-carlito fonts-crosextra-caladea fonts-noto-core wamerican >/dev/null
fi
python3 -m venv "$VENV"
"$VENV/bin/pip" install -q torch==2.14.1 torchvision==0.29.1 -r "$(dirname "$0")/requirements.txt"
echo "venv ready: $VENV/bin/python"
