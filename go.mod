module github.com/handshake/handshake

go 1.26
