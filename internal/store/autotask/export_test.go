package autotask

import "github.com/portalctl/portalctl/pkg/api"

// WindowCount is how many itemDate windows BilledHours reads for [from, to]
// when it reads them all (for the call-budget tests).
func (s *Store) WindowCount(from, to api.Date) int { return len(s.windows(from, to)) }

// IssueMarker is the externalID an issue filed with an Idempotency-Key gets.
var IssueMarker = issueMarker

// Local is the bridge's local database.
func (s *Store) Local() LocalStore { return s.local }
