FROM python:3.11-slim
ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1
WORKDIR /app
RUN apt-get update && apt-get install -y --no-install-recommends nodejs npm && rm -rf /var/lib/apt/lists/*
COPY pyproject.toml package.json package-lock.json ./
RUN pip install --no-cache-dir -e . && npm ci --omit=dev --no-audit --no-fund
COPY . .
RUN DJANGO_SECRET_KEY=build python manage.py collectstatic --noinput
