-- The 20 channels of the data set (prisma/seed/README.md). They are reference data, not
-- engagements: every database has them, whether or not engagements are imported.
INSERT INTO "channel" ("slug", "name", "description", "position") VALUES
  ('military', 'Military', 'Defense policy talks and military-to-military communication, from defense ministers to theater commanders.', 1),
  ('crisis_communication', 'Crisis communication', 'Hotlines, calls and mechanisms meant to keep incidents from escalating.', 2),
  ('maritime_security', 'Maritime security', 'Conduct at sea and in the air: military maritime consultations, rules for encounters, the South China Sea.', 3),
  ('arms_control_nonproliferation', 'Arms control and nonproliferation', 'Nuclear arms control, nonproliferation and the weapons programmes of third countries such as North Korea and Iran.', 4),
  ('ai', 'Artificial intelligence', 'Risks, safety and governance of artificial intelligence, including its military use.', 5),
  ('technology', 'Technology', 'Science and technology cooperation and competition outside export controls.', 6),
  ('commerce_export_controls', 'Commerce and export controls', 'Export controls, sanctions, investment screening and commercial disputes.', 7),
  ('trade_economic', 'Trade and economy', 'Tariffs, market access, trade agreements and the broader economic relationship.', 8),
  ('finance_macro', 'Finance and macroeconomy', 'Financial regulation, currency and macroeconomic policy coordination.', 9),
  ('climate', 'Climate', 'Climate change: emissions, methane, HFCs, clean energy and joint climate statements.', 10),
  ('counternarcotics', 'Counternarcotics', 'Fentanyl, its precursor chemicals and the enforcement cooperation against them.', 11),
  ('law_enforcement', 'Law enforcement', 'Police and judicial cooperation: fugitives, transnational crime, money laundering.', 12),
  ('migration_repatriation', 'Migration and repatriation', 'Illegal migration and the return of nationals without legal status.', 13),
  ('cyber', 'Cyber', 'Cybersecurity, cyber-enabled theft and conduct in cyberspace.', 14),
  ('health', 'Health', 'Public health and pandemic cooperation.', 15),
  ('people_to_people', 'People-to-people exchange', 'Students, journalists, flights, visas and cultural and academic exchange.', 16),
  ('consular', 'Consular affairs', 'Detained and exit-banned citizens, consulates and consular access.', 17),
  ('human_rights', 'Human rights', 'Human rights concerns, including Xinjiang, Tibet and Hong Kong.', 18),
  ('regional_security', 'Regional security', 'Taiwan, the Korean Peninsula, Ukraine, the Middle East and other regional questions.', 19),
  ('strategic_diplomatic', 'Strategic and diplomatic', 'The overall relationship: leader-level diplomacy, guardrails and channels of communication.', 20);
