#!/usr/bin/env bash
# Idempotent: Guzzle 7 and PHP 8.2 as Debian 12 ships them, plus what the adapter needs.
#   php-guzzlehttp-guzzle  the library (7.4.5; pulls guzzlehttp/psr7 and promises)
#   php-curl               ext-curl: with it loaded, Guzzle's default handler is the curl one,
#                          which the adapter models (Debian lists it only as a Suggests)
#   php8.2-uopz            the virtual clock (time() and strtotime() answer each op's `now`)
#   php-cli                the interpreter; ext-sockets (TCP_NODELAY) and ext-pcntl (signals)
#                          come with php8.2-common / php8.2-cli
set -euo pipefail
PACKAGES=(php-cli php-curl php8.2-uopz php-guzzlehttp-guzzle)
missing=()
for p in "${PACKAGES[@]}"; do
  dpkg -s "$p" >/dev/null 2>&1 || missing+=("$p")
done
if [ "${#missing[@]}" -gt 0 ]; then
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}"
fi
php -r 'foreach (["curl", "uopz", "sockets", "pcntl"] as $e) { if (!extension_loaded($e)) { fwrite(STDERR, "php-guzzle: PHP extension $e not loaded\n"); exit(1); } }
        require "/usr/share/php/GuzzleHttp/autoload.php";
        if (GuzzleHttp\ClientInterface::MAJOR_VERSION !== 7) { fwrite(STDERR, "php-guzzle: Guzzle 7 expected\n"); exit(1); }'
echo "php-guzzle: ready ($(php -r 'echo "PHP ", PHP_VERSION;'), php-guzzlehttp-guzzle $(dpkg-query -W -f='${Version}' php-guzzlehttp-guzzle))"
