# tracegate as a container image: by default the GitHub App, `tracegate serve`
# (docs/app.md), and the CLI with any other command, with the git it reads
# repositories through.
#
#   docker build --build-arg VERSION=v1.2.3 --build-arg COMMIT=$(git rev-parse HEAD) -t tracegate .
#   docker run -d -p 8080:8080 -v tracegate:/var/lib/tracegate -e TRACEGATE_APP_ID=123 \
#     -e TRACEGATE_PRIVATE_KEY_FILE=/run/secrets/app.pem -e TRACEGATE_WEBHOOK_SECRET_FILE=/run/secrets/webhook \
#     -v "$PWD/secrets:/run/secrets:ro" tracegate
#   docker run --rm -v "$PWD:/repo" tracegate check release --dir /repo --tag v1.2.3
#
# The binary is built by scripts/build.sh, as the release archives are; a
# test (cmd/tracegate: TestDockerfile) runs this file's build step the way
# the builder stage does and checks what the runtime stage needs of it.

FROM golang:1.26.3-bookworm AS build
WORKDIR /src
# Modules first: a source change does not download them again.
COPY go.mod go.sum ./
RUN go mod download
COPY . .
ARG VERSION=""
ARG COMMIT=""
RUN scripts/build.sh /out/tracegate "$VERSION" "$COMMIT"

FROM alpine:3.20
# git: tracegate reads commits, tags and files at a ref through the git CLI.
RUN apk add --no-cache git ca-certificates \
	&& adduser -D -u 10001 tracegate \
	&& mkdir -p /var/lib/tracegate && chown 10001 /var/lib/tracegate && chmod 700 /var/lib/tracegate
COPY --from=build /out/tracegate /usr/local/bin/tracegate
USER 10001
WORKDIR /repo
# The App's SQLite database lives in the volume (TRACEGATE_DB=postgres://… for
# several replicas); the webhook and the probes on 8080.
ENV TRACEGATE_DB=/var/lib/tracegate/tracegate.db TRACEGATE_LISTEN=:8080
VOLUME /var/lib/tracegate
EXPOSE 8080
HEALTHCHECK --interval=30s --timeout=5s CMD wget -qO- http://127.0.0.1:8080/healthz >/dev/null || exit 1
ENTRYPOINT ["/usr/local/bin/tracegate"]
CMD ["serve"]
