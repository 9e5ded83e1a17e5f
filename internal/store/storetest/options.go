package storetest

import (
	"regexp"
	"testing"

	"github.com/portalctl/portalctl/pkg/api"
)

// Options relax the suite for a store that cannot express some fixture
// detail; for each, the suite checks the behaviour that store documents
// instead. The zero value checks everything (Run uses it: SQLite and
// PostgreSQL hold every detail).
type Options struct {
	// NoEvents: the store has no project calendar; Events answers
	// store.ErrUnsupported (Autotask's REST API has no calendar entity).
	NoEvents bool
	// NoContactRoles: the store keeps which contacts are on a team but not
	// their roles; each contact's role is "Client contact" (Autotask holds
	// the team contacts in a project UDF of ids).
	NoContactRoles bool
	// NoTaskContracts: a task has no contract of its own; it is billed
	// through its project's contract or its billing items (Autotask tasks
	// carry no contract), so task 107 counts as billed to Fabrikam.
	NoTaskContracts bool
	// NoListHashes: attachment lists carry no SHA-256 (Autotask keeps no
	// hash; computing one downloads every file). AttachmentContent has it.
	NoListHashes bool
	// UpstreamContent: attachment bytes are read from the upstream system
	// in one bounded pass when downloaded (the copy of Autotask keeps none),
	// so a read already under way never sees a later import.
	UpstreamContent bool
	// UpstreamClock: the upstream system stamps created and completed times
	// and task numbers with its own clock (Autotask sets completedDateTime,
	// createDateTime and taskNumber); the suite checks their presence and
	// shape instead of the times it passed.
	UpstreamClock bool
	// Amount is the amount the store bills for hoursBilled × rate: nil
	// means that product, rounded to cents. Autotask invoices its own
	// extendedPrice, which is not quantity × rate (the recorded item:
	// 3.1750 × 100.0000 but 386.6450); its emulator seeds it as such.
	Amount func(hoursBilled, rate api.Decimal) api.Decimal
}

// amount is the amount o expects a row of hoursBilled at rate to carry.
func (o Options) amount(hoursBilled, rate api.Decimal) string {
	if o.Amount != nil {
		return o.Amount(hoursBilled, rate).String()
	}
	return hoursBilled.MulRound(rate).String()
}

// RunWith is Run with the relaxations of o.
func RunWith(t *testing.T, newStore Factory, o Options) {
	run(t, newStore, o)
}

var taskNumberShape = regexp.MustCompile(`^T\d{8}\.\d{4}$`)
