package tlsmodel

import (
	"fmt"
	"strings"
)

// Lanes of the sequence diagrams.
const (
	LaneClient   = 0
	LaneAttacker = 1
	LaneServer   = 2
)

// LaneNames names the lanes.
var LaneNames = []string{"client", "attacker", "server"}

// TermName names a term: cr1 and sr1 are the randoms of client and server
// session 1, rE the attacker's random, pms1 and pmsE pre_master_secrets,
// {pms1}pk(S) a ciphertext, Yc1, Ys1 and YE key shares, Ysw1 server
// session 1's share in the weak group, sk(S) S's private key.
func TermName(t Term) string {
	switch {
	case t == NoTerm:
		return "-"
	case t < SR0:
		return fmt.Sprintf("cr%d", t-CR0+1)
	case t < RandE:
		return fmt.Sprintf("sr%d", t-SR0+1)
	case t == RandE:
		return "rE"
	case t == SRConst:
		return "sr0"
	case t < PMSE:
		return fmt.Sprintf("pms%d", t-PMS0+1)
	case t == PMSE:
		return "pmsE"
	case t < EncE0:
		return "{" + TermName(PMS0+(t-EncS0)) + "}pk(S)"
	case t < YC0:
		return "{" + TermName(PMS0+(t-EncE0)) + "}pk(E)"
	case t < YS0:
		return fmt.Sprintf("Yc%d", t-YC0+1)
	case t < YE:
		return fmt.Sprintf("Ys%d", t-YS0+1)
	case t == YE:
		return "YE"
	case t < SKS:
		return fmt.Sprintf("Ysw%d", t-YSW0+1)
	case t == SKS:
		return "sk(S)"
	}
	return fmt.Sprintf("Term(%d)", t)
}

// SuiteName names a suite; OfferName an offer.
func SuiteName(s uint8) string {
	switch s {
	case SuiteStrong:
		return "strong"
	case SuiteWeak:
		return "weak"
	}
	return "-"
}

func OfferName(o uint8) string {
	var parts []string
	for s := SuiteStrong; s <= SuiteWeak; s <<= 1 {
		if o&s != 0 {
			parts = append(parts, SuiteName(s))
		}
	}
	if o&OfferVersions == 0 {
		return "[" + strings.Join(parts, ",") + "]"
	}
	var vers []string
	if o&OfferTLS13 != 0 {
		vers = append(vers, "1.3")
	}
	if o&OfferTLS12 != 0 {
		vers = append(vers, "1.2")
	}
	return "[" + strings.Join(parts, ",") + "; " + strings.Join(vers, ",") + "]"
}

// IdName names an identity (a certificate's subject).
func IdName(id uint8) string {
	switch id {
	case IdServer:
		return "S"
	case IdAttacker:
		return "E"
	}
	return "-"
}

// String renders a key term: MS(pre_master_secret, client_random,
// server_random) for TLS 1.2, HS(DH value, transcript) for TLS 1.3.
func (k Key) String() string {
	pms := TermName(k.PMS)
	if k.PMS == NoTerm {
		pms = "DH(" + TermName(k.DH1) + "," + TermName(k.DH2) + ")"
	}
	if k.Protocol == TLS13 {
		return fmt.Sprintf("HS(%s, CH(%s,%s,%s) SH(%s,%s,%s))", pms, TermName(k.CR), OfferName(k.Offer), TermName(k.YC),
			TermName(k.SR), SuiteName(k.Suite), TermName(k.YS))
	}
	return fmt.Sprintf("MS(%s, %s, %s)", pms, TermName(k.CR), TermName(k.SR))
}

// ClientPhaseName and ServerPhaseName name phases after RFC 8446
// Appendix A.
func ClientPhaseName(p Phase) string {
	switch p {
	case ClientStart:
		return "START"
	case ClientWaitSH:
		return "WAIT_SH"
	case ClientWaitFinished:
		return "WAIT_FINISHED"
	case ClientConnected:
		return "CONNECTED"
	}
	return "?"
}

func (c *Config) ServerPhaseName(proto Protocol, p Phase) string {
	switch p {
	case ServerStart:
		return "START"
	case ServerWaitFlight:
		if proto == TLS13 || c.NoFinished {
			if c.NoFinished {
				return "WAIT_CLIENT_KEY_EXCHANGE"
			}
			return "WAIT_FINISHED"
		}
		return "WAIT_FLIGHT2"
	case ServerConnected:
		return "CONNECTED"
	}
	return "?"
}

func (c *Config) clientName(i int) string {
	if c.Clients == 1 {
		return "client"
	}
	return fmt.Sprintf("client %d", i+1)
}

func (c *Config) serverName(j int) string {
	if c.Servers == 1 {
		return "server"
	}
	return fmt.Sprintf("server %d", j+1)
}
