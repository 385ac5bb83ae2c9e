# tracegate as a container image: the CLI (and, with its issue, the App's
# `tracegate serve`) with the git it reads repositories through.
#
#   docker build --build-arg VERSION=v1.2.3 --build-arg COMMIT=$(git rev-parse HEAD) -t tracegate .
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
	&& adduser -D -u 10001 tracegate
COPY --from=build /out/tracegate /usr/local/bin/tracegate
USER 10001
WORKDIR /repo
ENTRYPOINT ["/usr/local/bin/tracegate"]
CMD ["--help"]
