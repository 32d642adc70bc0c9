/** The explorer's second tab: subscriptions, which run over WebSocket with the Headers' key. */
export const SUBSCRIPTION_EXAMPLES = `# Subscriptions run over WebSocket (graphql-ws) at /graphql, with the headers below sent as the
# connection's connectionParams. Run one: events appear on the right as writes commit, whoever
# makes them (this explorer, another server, \`npm run import\`, psql). Stop it with the same button.

# Every record a write creates, changes or deletes: what a dashboard refetches on.
subscription DataChanged {
  dataChanged { recordType slug action }
}

# One meeting as it is after each write that touches it, or its deletion.
subscription MeetingChanged {
  meetingChanged(slug: "2023-11-15-woodside") {
    action
    meeting { title version outcomes { channel { slug } status description } }
  }
}

# The audit trail as it is written: needs an ADMIN key under Headers,
# {"Authorization": "Bearer uscn_…"}.
subscription AuditTrail {
  changes { id at actor action recordType recordSlug }
}
`;
