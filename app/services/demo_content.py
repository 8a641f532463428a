"""What the Olive Vehicle Insurance demo holds: documents, interviews, what people said, and the team's calls.

The organization, its six services and the process areas in scope come from the seed presentation (2011);
the documents, statements and characterizations are invented but typical of an insurer's appraisal, and are
written so the ratings tell a story: prevention of incidents is weak (IRP CL0), measurement data quality is
judged significant (MA CL0 by a goal override), security management, vulnerability handling and controls
lack monitoring or audit (CL1), supplier management waits on a team judgment, and two process areas (EXD,
MON) are still being examined on the fourth day.

Texts the organization will read (weaknesses, strengths, rationales, findings) never name a participant or a
unit: non-attribution. Participant names live only in `SESSIONS` and end up in the participant table. Codes
of CERT-RMM practices and goals are written short here ("SG1.SP1") and prefixed with the PA when used.
"""

from __future__ import annotations

from typing import NamedTuple

CLAIMS, POLICIES, QUOTES = "Claims", "Policies", "Quotes"
BILLING, LEGAL, REPAIR = "Billing and premiums", "Legal services", "Vehicle repair"
SECURITY_OFFICE = "Information security office"

SECURITY_MINI_TEAM = ("Morgan Reyes", "Priya Natarajan")
DELIVERY_MINI_TEAM = ("Dana Whitfield", "Tom Berger")


class Doc(NamedTuple):
    """An organization-wide document and the practices (codes) it is evidence for."""

    title: str
    kind: str
    description: str
    practices: tuple[str, ...]


class Said(NamedTuple):
    """A statement heard in interviews and the goals whose practices it supports."""

    text: str
    goals: tuple[str, ...]


class Cell(NamedTuple):
    """A scripted characterization; `units` empty means every unit that implements the process area."""

    practice: str
    value: str
    units: tuple[str, ...] = ()
    weakness: str = ""
    strength: str = ""
    note: str = ""


class Judgment(NamedTuple):
    """The team's organizational-unit value where instantiations include PI or NI."""

    practice: str
    value: str
    rationale: str


class Override(NamedTuple):
    goal: str
    rating: str
    rationale: str


class PaStory(NamedTuple):
    model: str
    documents: tuple[Doc, ...]
    unit_record: str
    """Title of the records each unit showed for this process area; {unit} is replaced by the unit's name."""
    said: tuple[Said, ...]
    cells: tuple[Cell, ...] = ()
    judgments: tuple[Judgment, ...] = ()
    overrides: tuple[Override, ...] = ()
    weaknesses: tuple[str, ...] = ()
    """Minor weaknesses the team noted here and there (LI)."""
    strengths: tuple[str, ...] = ()
    notes: tuple[str, ...] = ()
    examined_in: tuple[str, ...] | None = None
    """Still being examined: only these units are done; the others have first evidence for the first goal."""
    day: int = 1
    """On-site day (0-3) the mini-team characterized it."""


STORIES: dict[str, PaStory] = {
    "SM": PaStory(
        model="SM",
        documents=(
            Doc(
                "Information Security Policy v3.2",
                "document",
                "Sets the security objectives and the scope of the security management system; approved by the "
                "executive team in March 2026.",
                ("ESP1.1",),
            ),
            Doc(
                "Security objectives 2026 – executive meeting minute extract",
                "record",
                "Objectives for confidentiality of customer data, availability of the quote and policy portals and "
                "integrity of payments.",
                ("ESP1.1", "ESP1.6"),
            ),
            Doc(
                "Threat assessment method",
                "document",
                "STRIDE-based method with the insurer threat catalogue: who assesses which assets, and how often.",
                ("ESP1.2",),
            ),
            Doc(
                "Threat register Q3 2026",
                "spreadsheet",
                "Threats to customer data, payment processing and the repair-network portal, with likelihood and "
                "impact scores.",
                ("ESP1.3", "ESP1.4"),
            ),
            Doc(
                "Threat scoring criteria and risk appetite",
                "document",
                "Likelihood and impact scales and the thresholds above which a threat needs a treatment plan.",
                ("ESP1.2", "ESP1.4"),
            ),
            Doc(
                "Security management plan 2026–2027",
                "document",
                "Planned controls, owners, budget and milestones of the security management system.",
                ("ESP1.5",),
            ),
            Doc(
                "Executive sign-off of the security management plan",
                "e-mail",
                "Approval by the Chief Operating Officer, 18 March 2026.",
                ("ESP1.6",),
            ),
            Doc(
                "Security operations runbook",
                "document",
                "Daily and weekly security operations tasks with their owners and escalation routes.",
                ("ESP2.1",),
            ),
            Doc(
                "Monthly security dashboard, Aug–Oct 2026",
                "presentation",
                "Open threats, security incidents, patch compliance and awareness training figures.",
                ("ESP2.2",),
            ),
        ),
        unit_record="Security tasks log and threat reports, {unit}, Sep–Oct 2026",
        said=(
            Said("The security objectives are reviewed each January with the executive team.", ("ESG1",)),
            Said(
                "Threats are assessed with the security office's catalogue; we add what we see in fraud attempts.",
                ("ESG1",),
            ),
            Said("Nobody could say who approves a change to the threat scoring criteria.", ("ESG1",)),
            Said("We get the security dashboard every month and go through the open items.", ("ESG2",)),
            Said("Security tasks are on our weekly checklist and signed off by the team lead.", ("ESG2",)),
        ),
        cells=(
            Cell(
                "ESP1.4",
                "LI",
                weakness="Threat priorities are re-scored without a defined approval of changes to the scoring "
                "criteria.",
            ),
            Cell(
                "ESP1.6",
                "FI",
                (SECURITY_OFFICE,),
                strength="The executive team signed the security management plan and reviews its objectives each "
                "January.",
            ),
            Cell(
                "ESP2.2",
                "LI",
                (QUOTES, LEGAL),
                weakness="Exceptions on the monthly security dashboard have no named owner to act on them.",
            ),
            Cell(
                "GP2.9",
                "PI",
                weakness="No objective evaluation of adherence to the security management process was performed in "
                "the period; the internal audit plan does not include it.",
            ),
            Cell(
                "GP2.5",
                "LI",
                (REPAIR,),
                weakness="Security awareness training records are missing for contractors.",
            ),
        ),
        judgments=(
            Judgment(
                "GP2.9",
                "PI",
                "The gap is the same everywhere: the audit checklist exists but was never used for this process. "
                "PI rather than NI because adherence is checked informally in the monthly dashboard review.",
            ),
        ),
        weaknesses=("Threat reports are filed but their review is not recorded.",),
        strengths=("Security tasks are part of the team's weekly routine, with sign-off.",),
        notes=(
            "Looked at the threat register entries raised in September.",
            "Sampled four weekly security checklists; all signed off.",
        ),
        day=0,
    ),
    "IRP": PaStory(
        model="CMMI-SVC",
        documents=(
            Doc(
                "Incident management procedure IM-01",
                "document",
                "How incidents are recorded, prioritised, resolved, escalated and closed.",
                ("SP1.1", "SP2.3", "SP2.4"),
            ),
            Doc(
                "Incident categorisation and priority matrix",
                "document",
                "Impact and urgency categories with target resolution times.",
                ("SP1.2", "SP2.1", "SP2.2"),
            ),
            Doc(
                "Service desk tool configuration and user guide",
                "document",
                "Fields, workflows and notifications of the incident management system.",
                ("SP1.2", "SP2.5"),
            ),
            Doc(
                "Major incident review: policy portal outage 14 Aug 2026",
                "document",
                "Timeline, impact, root cause and actions of the August portal outage.",
                ("SP3.1", "SP3.2"),
            ),
            Doc(
                "Known-error database extract",
                "spreadsheet",
                "Known errors with their workarounds and linked incidents.",
                ("SP3.2", "SP3.3"),
            ),
        ),
        unit_record="Incident tickets sampled, {unit}, Sep–Oct 2026",
        said=(
            Said("Every incident gets a ticket and a priority from the matrix.", ("SG1", "SG2")),
            Said("We chase open tickets every morning and tell the customer where things stand.", ("SG2",)),
            Said("Major incidents get a review within five working days.", ("SG3",)),
            Said("We rarely look for trends across incidents; prevention is ad hoc.", ("SG3",)),
            Said("If a workaround works, it goes into the known-error list for the next person.", ("SG3",)),
        ),
        cells=(
            Cell(
                "SP2.2",
                "LI",
                (BILLING, LEGAL),
                weakness="Individual incident analysis is recorded for major incidents only.",
            ),
            Cell(
                "SP2.5",
                "FI",
                (CLAIMS,),
                strength="Customers receive proactive status updates on open incidents by text message.",
            ),
            Cell(
                "SP3.1",
                "PI",
                (QUOTES, POLICIES, BILLING, CLAIMS),
                weakness="Incident data are not analysed for trends; only single major incidents are reviewed.",
            ),
            Cell("SP3.1", "NI", (LEGAL,), weakness="No analysis of selected incidents was found for the period."),
            Cell(
                "SP3.1",
                "LI",
                (REPAIR,),
                weakness="Trend analysis is done each quarter but its results are not shared beyond the team.",
            ),
            Cell(
                "SP3.3",
                "PI",
                (QUOTES, POLICIES, CLAIMS),
                weakness="Solutions to reduce incident occurrence are raised ad hoc and not tracked to closure.",
            ),
            Cell(
                "SP3.3",
                "LI",
                (BILLING, LEGAL, REPAIR),
                weakness="Prevention actions are tracked, but their effect on incident volumes is not checked.",
            ),
        ),
        judgments=(
            Judgment(
                "SP3.1",
                "PI",
                "Most units do no trend analysis at all and one does it without sharing results; the weakness "
                "defeats the intent of learning from incidents, so PI.",
            ),
            Judgment(
                "SP3.3",
                "PI",
                "Prevention actions exist only where someone takes the initiative and half the sample cannot show "
                "them carried through, so PI.",
            ),
        ),
        weaknesses=("Incident status updates are not recorded on the ticket.",),
        strengths=("Tickets are complete and closed with a confirmed resolution.",),
        notes=(
            "Sampled five tickets from September; all carried a priority.",
            "Checked closure codes on ten tickets against the procedure.",
            "The August outage review was shown in the session.",
        ),
        day=0,
    ),
    "RSKM": PaStory(
        model="CMMI-SVC",
        documents=(
            Doc(
                "Enterprise risk management framework",
                "document",
                "Risk sources and categories, risk parameters and the risk management strategy.",
                ("SP1.1", "SP1.2", "SP1.3"),
            ),
            Doc(
                "Operational risk register – customer services",
                "spreadsheet",
                "Identified risks with probability, impact, priority and owner.",
                ("SP2.1", "SP2.2"),
            ),
            Doc("Risk mitigation plans, top 10 risks", "document", "Mitigation actions and triggers.", ("SP3.1",)),
            Doc(
                "Risk committee minutes, Jul–Oct 2026",
                "record",
                "Monthly review of the register and of mitigation progress.",
                ("SP2.2", "SP3.2"),
            ),
        ),
        unit_record="Risk register extract and mitigation status, {unit}",
        said=(
            Said("Risks are reviewed monthly in the risk committee.", ("SG1", "SG2")),
            Said("We raise new risks in the register ourselves and the committee scores them.", ("SG2",)),
            Said("Mitigation owners report progress each quarter.", ("SG3",)),
            Said("The risk categories come from the enterprise framework; we use them as they are.", ("SG1",)),
        ),
        cells=(
            Cell("SP2.2", "LI", (QUOTES,), weakness="Risk priorities are not revisited after the quarterly review."),
            Cell(
                "SP3.2",
                "FI",
                (CLAIMS,),
                strength="Mitigation progress is reported every quarter with evidence of completed actions.",
            ),
            Cell(
                "GP2.7",
                "LI",
                (LEGAL,),
                weakness="Stakeholders from outside the unit are not involved in its risk reviews.",
            ),
        ),
        weaknesses=("Risk owners are named for most but not all risks in the extract.",),
        notes=("Traced three risks from the register to their mitigation plans.",),
        day=1,
    ),
    "SCON": PaStory(
        model="CMMI-SVC",
        documents=(
            Doc(
                "Business impact analysis 2026",
                "document",
                "Essential functions and resources of each customer service, with recovery priorities.",
                ("SP1.1", "SP1.2"),
            ),
            Doc(
                "Business continuity plan – customer services",
                "document",
                "Continuity strategies, roles and call trees per service.",
                ("SP2.1",),
            ),
            Doc(
                "Continuity training plan and attendance",
                "spreadsheet",
                "Continuity training sessions and who attended them.",
                ("SP2.2", "SP2.3"),
            ),
            Doc(
                "Continuity exercise report: call-centre relocation drill",
                "document",
                "Drill objectives, scenario, measured recovery times and lessons learned.",
                ("SP3.1", "SP3.2", "SP3.3"),
            ),
        ),
        unit_record="Continuity plan section and exercise records, {unit}",
        said=(
            Said("The relocation drill showed we can take calls from the backup site within four hours.", ("SG3",)),
            Said("Everyone did the continuity training in the spring.", ("SG2",)),
            Said("Our essential functions and what they depend on were agreed in the impact analysis.", ("SG1",)),
            Said("After the drill we changed the call tree and tested it again.", ("SG3", "SG2")),
        ),
        cells=(
            Cell(
                "SP3.2",
                "FI",
                (CLAIMS, POLICIES),
                strength="The relocation drill was run with real call volumes and measured against the recovery "
                "objective.",
            ),
            Cell("SP2.3", "LI", (REPAIR,), weakness="Continuity training has not reached the weekend shift."),
        ),
        weaknesses=("The call tree in the plan lists two people who have left.",),
        notes=("Compared the plan's call tree with the current staff list.",),
        day=1,
    ),
    "SST": PaStory(
        model="CMMI-SVC",
        documents=(
            Doc(
                "Release and transition checklist",
                "document",
                "Steps, approvals and rollback criteria for changes to the service system.",
                ("SP1.1", "SP2.1"),
            ),
            Doc(
                "Transition plan: new billing engine",
                "document",
                "Schedule, stakeholders, training and rollback plan for the billing engine replacement.",
                ("SP1.2", "SP1.3"),
            ),
            Doc(
                "Post-deployment review: billing engine go-live",
                "document",
                "Impact of the transition on service levels and the actions taken.",
                ("SP2.2",),
            ),
        ),
        unit_record="Change records and transition checklists, {unit}",
        said=(
            Said("The billing go-live followed the transition checklist, with a rollback plan.", ("SG1", "SG2")),
            Said("We were told about changes to our tools two weeks ahead and got a short training.", ("SG1",)),
            Said("After each release someone checks the service levels for a week.", ("SG2",)),
        ),
        cells=(
            Cell("SP2.1", "NY", (QUOTES, LEGAL), note="No transition of this unit's service system in the period."),
            Cell("SP2.2", "NY", (QUOTES, LEGAL), note="No transition of this unit's service system in the period."),
            Cell(
                "SP1.3",
                "LI",
                (BILLING,),
                weakness="Stakeholders were told of the billing engine change only a week before go-live.",
            ),
            Cell("GP2.8", "LI", (BILLING,), weakness="Transition progress is tracked but deviations are not analysed."),
        ),
        notes=("Walked through the checklist of the October release.",),
        day=1,
    ),
    "SAM": PaStory(
        model="CMMI-SVC",
        documents=(
            Doc(
                "Sourcing policy and acquisition types",
                "document",
                "When OVIG buys services, products or outsources, and who decides.",
                ("SP1.1",),
            ),
            Doc(
                "Supplier selection evaluation: legal panel firms",
                "spreadsheet",
                "Selection criteria and scores of the candidate firms.",
                ("SP1.2",),
            ),
            Doc(
                "Supplier agreement: body-shop network",
                "document",
                "Service levels, quality checks and reviews agreed with the repair network.",
                ("SP1.3", "SP2.1"),
            ),
            Doc(
                "Supplier agreement: cloud hosting provider",
                "document",
                "Hosting services, availability targets and exit clauses.",
                ("SP1.3", "SP2.3"),
            ),
            Doc(
                "Supplier performance review Q3 2026",
                "document",
                "Performance of the main suppliers against their agreements.",
                ("SP2.1", "SP2.2"),
            ),
        ),
        unit_record="Supplier records and acceptance checks, {unit}",
        said=(
            Said("Repair-network performance is reviewed each quarter against the agreement.", ("SG2",)),
            Said("We choose suppliers with the procurement team using written criteria.", ("SG1",)),
            Said("Invoices are only paid after someone checks the work was delivered.", ("SG2",)),
        ),
        cells=(
            Cell(
                "SP2.1",
                "PI",
                (REPAIR, LEGAL),
                weakness="Supplier performance reviews that the agreement requires were not held in Q2 or Q3.",
            ),
            Cell(
                "SP1.2",
                "FI",
                (LEGAL,),
                strength="Suppliers are selected with documented criteria and scored by two reviewers.",
            ),
            Cell("SP2.2", "NY", (QUOTES, POLICIES), note="Nothing was acquired for this unit in the period."),
            Cell(
                "SP2.3",
                "PI",
                (BILLING,),
                weakness="The hand-over of the new billing engine from its supplier was not checked against the "
                "agreement.",
            ),
        ),
        weaknesses=("Acceptance checks are done but not always signed.",),
        notes=("Read the Q3 performance review with the team.",),
        day=2,
    ),
    "MA": PaStory(
        model="CMMI-SVC",
        documents=(
            Doc(
                "Measurement plan – customer services",
                "document",
                "Measurement objectives and the measures that serve them.",
                ("SP1.1", "SP1.2"),
            ),
            Doc(
                "Service KPI definitions",
                "document",
                "Definition, source, collection and analysis of each KPI.",
                ("SP1.2", "SP1.3", "SP1.4"),
            ),
            Doc(
                "KPI data warehouse extract, Oct 2026",
                "spreadsheet",
                "Raw measures collected for the month and where they are stored.",
                ("SP2.1", "SP2.3"),
            ),
            Doc(
                "Monthly service performance report, Oct 2026",
                "presentation",
                "Analysis of the month's measures, presented to management.",
                ("SP2.2", "SP2.4"),
            ),
        ),
        unit_record="Unit KPI sheets, {unit}, Aug–Oct 2026",
        said=(
            Said("The KPIs are defined, but nobody checks the data quality of the figures.", ("SG2",)),
            Said("Our numbers go to the monthly performance report.", ("SG2",)),
            Said("The measures were chosen with us when the measurement plan was written.", ("SG1",)),
        ),
        cells=(
            Cell(
                "SP2.1",
                "LI",
                (QUOTES, POLICIES, BILLING, CLAIMS, LEGAL, REPAIR),
                weakness="Data quality of the reported figures is not verified before they are reported.",
            ),
            Cell(
                "SP2.2",
                "LI",
                (QUOTES, POLICIES, BILLING, CLAIMS, LEGAL, REPAIR),
                weakness="Analyses are run on figures whose data quality is not verified.",
            ),
            Cell(
                "SP1.2",
                "LI",
                (LEGAL,),
                weakness="Measures for legal case handling are not yet defined in the measurement plan.",
            ),
        ),
        overrides=(
            Override(
                "SG2",
                "Unsatisfied",
                "Measurement results are reported without any check of their data quality, and staffing decisions "
                "rest on them; the team judges this weakness significant for the goal.",
            ),
        ),
        notes=("Recomputed two KPIs from the raw extract; one did not match.",),
        day=2,
    ),
    "IMC": PaStory(
        model="CERT-RMM",
        documents=(
            Doc(
                "Incident management plan (security)",
                "document",
                "Scope, roles and staffing of security incident management.",
                ("SG1.SP1", "SG1.SP2"),
            ),
            Doc(
                "Event detection and triage procedure",
                "document",
                "How events are detected, reported, logged, preserved and triaged.",
                ("SG2.SP1", "SG2.SP2", "SG2.SP3", "SG2.SP4"),
            ),
            Doc(
                "Incident declaration criteria",
                "document",
                "When an event becomes an incident, and who declares it.",
                ("SG3.SP1", "SG3.SP2"),
            ),
            Doc(
                "Incident response playbooks (ransomware, data leak)",
                "document",
                "Escalation, response, communication and closure steps.",
                ("SG4.SP1", "SG4.SP2", "SG4.SP3", "SG4.SP4"),
            ),
            Doc(
                "Post-incident review: phishing campaign, Sep 2026",
                "document",
                "Review of the September phishing campaign and the changes it led to.",
                ("SG5.SP1", "SG5.SP2"),
            ),
        ),
        unit_record="Security event reports and incident log entries, {unit}",
        said=(
            Said("Security incidents are declared by the security office using the criteria.", ("SG3",)),
            Said("We report anything suspicious through the service desk form straight away.", ("SG2",)),
            Said("After the phishing campaign we had a review and changed the mail filters.", ("SG5",)),
            Said("We know who to call and the playbook tells us what to tell customers.", ("SG4",)),
            Said("The incident plan names who is on duty for security events.", ("SG1",)),
        ),
        cells=(
            Cell(
                "SG4.SP3",
                "LI",
                (QUOTES, POLICIES),
                weakness="Communication to customers during incidents depends on the duty manager; there is no "
                "template.",
            ),
            Cell(
                "SG5.SP2",
                "LI",
                (BILLING, LEGAL, REPAIR),
                weakness="Lessons from post-incident reviews are noted but rarely change the strategy.",
            ),
            Cell("GP2.2", "LI", (REPAIR,), weakness="The incident management plan does not cover weekends."),
            Cell(
                "SG2.SP1",
                "FI",
                (CLAIMS,),
                strength="Front-line staff report suspicious events quickly; most reports arrive within the hour.",
            ),
        ),
        weaknesses=("Event evidence is kept, but its chain of custody is not recorded.",),
        notes=("Sampled six event reports from the service desk form.",),
        day=2,
    ),
    "VAR": PaStory(
        model="CERT-RMM",
        documents=(
            Doc(
                "Vulnerability management standard",
                "document",
                "Scope, strategy, sources of vulnerability information and patching deadlines.",
                ("SG1.SP1", "SG1.SP2", "SG2.SP1"),
            ),
            Doc(
                "Vulnerability scan results, Oct 2026",
                "spreadsheet",
                "Authenticated scans of servers and workstations with severity ratings.",
                ("SG2.SP2", "SG2.SP3"),
            ),
            Doc(
                "Patch compliance report, Oct 2026",
                "document",
                "Patches applied within and past the 14-day deadline, with exceptions.",
                ("SG3.SP1",),
            ),
            Doc(
                "Root-cause analysis: unpatched web server, Jul 2026",
                "document",
                "Why a critical patch was missed and what changed afterwards.",
                ("SG4.SP1",),
            ),
        ),
        unit_record="Patch and exception records, {unit}",
        said=(
            Said("Critical patches go out within 14 days; the report shows exceptions.", ("SG3",)),
            Said("The security office runs the scans weekly and sends us the findings.", ("SG2",)),
            Said("The standard says which systems are in scope; ours are all listed.", ("SG1",)),
            Said("When a patch was missed in July, we found out why and changed the process.", ("SG4",)),
        ),
        cells=(
            Cell(
                "SG3.SP1",
                "PI",
                (REPAIR, LEGAL),
                weakness="Patch exceptions past the 14-day deadline have no approved risk acceptance.",
            ),
            Cell(
                "SG3.SP1",
                "LI",
                (CLAIMS,),
                weakness="Exceptions are approved, but sometimes after the deadline has passed.",
            ),
            Cell(
                "GP2.8",
                "PI",
                (SECURITY_OFFICE, BILLING, LEGAL, REPAIR),
                weakness="Vulnerability management is not monitored against its plan; the patch report is produced "
                "but not reviewed.",
            ),
            Cell(
                "SG4.SP1",
                "LI",
                (SECURITY_OFFICE,),
                weakness="Root causes are analysed only for critical vulnerabilities.",
            ),
        ),
        judgments=(
            Judgment(
                "SG3.SP1",
                "LI",
                "Exceptions in two units lack an approved risk acceptance but are tracked to closure; the team "
                "judges the weakness not significant for managing exposure, so LI.",
            ),
            Judgment(
                "GP2.8",
                "PI",
                "The patch compliance report exists but nobody reviews it against the plan in most of the sample, "
                "so the process is not monitored and controlled: PI.",
            ),
        ),
        notes=("Compared the October scan with the patch report.",),
        day=1,
    ),
    "KIM": PaStory(
        model="CERT-RMM",
        documents=(
            Doc(
                "Information asset inventory (customer, policy and claim data)",
                "spreadsheet",
                "Information assets with owner, priority and category.",
                ("SG1.SP1", "SG1.SP2", "SG2.SP1"),
            ),
            Doc(
                "Information classification scheme",
                "document",
                "Categories, handling rules and the controls each category needs.",
                ("SG1.SP2", "SG2.SP2", "SG4.SP1"),
            ),
            Doc(
                "Information asset risk assessment 2026",
                "document",
                "Risks to the main information assets and their mitigation.",
                ("SG3.SP1", "SG3.SP2"),
            ),
            Doc(
                "Access review: customer data, Q3 2026",
                "record",
                "Quarterly review of who can read and change customer data.",
                ("SG4.SP2", "SG5.SP1"),
            ),
            Doc(
                "Disposal and retention schedule",
                "document",
                "How long each category is kept and how it is destroyed.",
                ("SG4.SP3", "SG6.SP1"),
            ),
            Doc(
                "Configuration baseline of the policy administration system",
                "document",
                "Approved configuration and data validation rules.",
                ("SG5.SP2", "SG5.SP3"),
            ),
            Doc(
                "Knowledge base guidelines",
                "document",
                "How procedures and know-how are written down and kept current.",
                ("SG6.SP2",),
            ),
        ),
        unit_record="Access reviews, backups and disposal records, {unit}",
        said=(
            Said("Access to customer data is reviewed quarterly.", ("SG4", "SG5")),
            Said("Everything we hold is in the inventory with an owner and a category.", ("SG1", "SG2")),
            Said("The risk assessment of our data was done in the spring with the security office.", ("SG3",)),
            Said("Backups run nightly and we keep case files for seven years.", ("SG6",)),
            Said("If something is not in the knowledge base, we add it after the case.", ("SG6",)),
        ),
        cells=(
            Cell(
                "SG4.SP1",
                "LI",
                (REPAIR, LEGAL),
                weakness="Files exchanged with external partners are not always encrypted.",
            ),
            Cell(
                "SG6.SP1",
                "FI",
                (POLICIES,),
                strength="Backups are restored as a test every month and the results recorded.",
            ),
            Cell("SG4.SP3", "NY", (QUOTES,), note="No information asset was disposed of in the period."),
        ),
        weaknesses=("Owners are recorded, but categories were not reviewed this year.",),
        notes=("Checked five access review sign-offs.",),
        day=1,
    ),
    "CTRL": PaStory(
        model="CERT-RMM",
        documents=(
            Doc(
                "Control objectives for claim payments (no double payment, confidentiality)",
                "document",
                "Control objectives agreed with internal audit.",
                ("SG1.SP1",),
            ),
            Doc(
                "Control catalogue – customer services",
                "spreadsheet",
                "Controls with owner, frequency and the objective each serves.",
                ("SG2.SP1", "SG3.SP1"),
            ),
            Doc(
                "Control self-assessment results 2026",
                "document",
                "Annual self-assessment of control design and operation.",
                ("SG4.SP1",),
            ),
        ),
        unit_record="Control test records, {unit}",
        said=(
            Said("The double-payment control is tested monthly by internal audit.", ("SG2", "SG4")),
            Said("Each control in the catalogue has an owner in our team.", ("SG2", "SG3")),
            Said("Control objectives were set with internal audit two years ago.", ("SG1",)),
        ),
        cells=(
            Cell(
                "SG4.SP1",
                "LI",
                (QUOTES, POLICIES),
                weakness="Control assessments are annual self-assessments without independent review.",
            ),
            Cell(
                "GP2.8",
                "PI",
                (QUOTES, POLICIES, BILLING, CLAIMS, LEGAL, REPAIR),
                weakness="Control performance is not monitored against the plan between annual self-assessments.",
            ),
            Cell(
                "GP2.8",
                "LI",
                (SECURITY_OFFICE,),
                weakness="Control monitoring is planned but only the security controls are reviewed monthly.",
            ),
            Cell(
                "SG2.SP1",
                "FI",
                (CLAIMS,),
                strength="The double-payment control is tested monthly with a sample of paid claim files.",
            ),
        ),
        judgments=(
            Judgment(
                "GP2.8",
                "PI",
                "Between annual self-assessments nobody checks that controls operate as planned, except for the "
                "security controls; PI.",
            ),
        ),
        notes=("Read the last two monthly control test records.",),
        day=2,
    ),
    "SC": PaStory(
        model="CERT-RMM",
        documents=(
            Doc(
                "Service continuity program and standards",
                "document",
                "Planning approach, standards and guidelines for continuity plans.",
                ("SG1.SP1", "SG1.SP2", "SG3.SP1"),
            ),
            Doc(
                "High-value services and dependencies",
                "spreadsheet",
                "The six customer services, their internal and external dependencies and recovery objectives.",
                ("SG2.SP1", "SG2.SP2"),
            ),
            Doc(
                "Vital records list",
                "spreadsheet",
                "Records and databases the services cannot run without, with owners and backups.",
                ("SG2.SP3",),
            ),
            Doc(
                "Service continuity plans per service",
                "document",
                "One plan per service with staff assignments; stored on the continuity portal.",
                ("SG3.SP2", "SG3.SP3", "SG3.SP4"),
            ),
            Doc(
                "Continuity training material",
                "presentation",
                "Training for staff named in the plans.",
                ("SG3.SP5",),
            ),
            Doc(
                "Plan validation checklist and conflict log",
                "document",
                "Checks of each plan against the standards and conflicts resolved between plans.",
                ("SG4.SP1", "SG4.SP2"),
            ),
            Doc(
                "Continuity testing program 2026",
                "document",
                "Test standards, test plans, exercises run and their evaluation.",
                ("SG5.SP1", "SG5.SP2", "SG5.SP3", "SG5.SP4"),
            ),
            Doc(
                "Continuity invocation report: portal outage 14 Aug 2026",
                "document",
                "Plans invoked during the August outage and how well they worked.",
                ("SG6.SP1", "SG6.SP2"),
            ),
            Doc(
                "Plan change criteria and change log",
                "document",
                "When a plan must change and the changes made in 2026.",
                ("SG7.SP1", "SG7.SP2"),
            ),
        ),
        unit_record="Continuity plan, contact list and test evidence, {unit}",
        said=(
            Said("Recovery objectives were set per service after the impact analysis.", ("SG1", "SG2")),
            Said("Our plan is on the continuity portal and we know our roles in it.", ("SG3",)),
            Said("The plans were checked against the standard before the drill.", ("SG4",)),
            Said("We exercise the plan every year and write down what went wrong.", ("SG5",)),
            Said("When the plan changes, the coordinator sends the new version round.", ("SG7",)),
            Said("During the August outage we switched to the manual process in the plan.", ("SG6",)),
        ),
        cells=(
            Cell(
                "SG6.SP1",
                "NY",
                (QUOTES, POLICIES, LEGAL, REPAIR),
                note="No disruption has required the plans in this unit so far.",
            ),
            Cell(
                "SG6.SP2",
                "NY",
                (QUOTES, POLICIES, LEGAL, REPAIR),
                note="No disruption has required the plans in this unit so far.",
            ),
            Cell(
                "SG5.SP3",
                "LI",
                (REPAIR,),
                weakness="Exercises covered the office but not the partner body shops.",
            ),
            Cell(
                "SG2.SP3",
                "FI",
                (BILLING,),
                strength="Vital records are listed with owners and tested restores.",
            ),
        ),
        notes=("The August invocation report was walked through in the session.",),
        day=2,
    ),
    "EXD": PaStory(
        model="CERT-RMM",
        documents=(
            Doc(
                "External dependency register",
                "spreadsheet",
                "Suppliers, partners and public services the customer services depend on, with priority.",
                ("SG1.SP1", "SG1.SP2"),
            ),
            Doc(
                "Third-party risk assessment: repair network",
                "document",
                "Risks from the body-shop network and their treatment.",
                ("SG2.SP1",),
            ),
            Doc(
                "Resilience clauses for external agreements",
                "document",
                "Enterprise and resilience specifications that new agreements must include.",
                ("SG3.SP1", "SG3.SP2", "SG3.SP3", "SG3.SP4"),
            ),
            Doc(
                "External entity performance scorecards, Q3 2026",
                "spreadsheet",
                "Performance of external entities against their agreements, with corrective actions.",
                ("SG4.SP1", "SG4.SP2"),
            ),
        ),
        unit_record="External dependency records, {unit}",
        said=(
            Said("We keep a register of external dependencies, reviewed yearly.", ("SG1",)),
            Said("New agreements go through the resilience clause checklist.", ("SG3",)),
            Said("The scorecards are discussed with each partner every quarter.", ("SG4",)),
            Said("Risks from partners are in the third-party assessment.", ("SG2",)),
        ),
        cells=(
            Cell(
                "SG4.SP1",
                "PI",
                (REPAIR,),
                weakness="Partner performance is reviewed, but the resilience requirements in the agreements are not "
                "monitored.",
            ),
            Cell(
                "SG4.SP1",
                "LI",
                (CLAIMS,),
                weakness="Scorecards are discussed, but actions agreed with partners are not followed up.",
            ),
            Cell(
                "SG3.SP2",
                "LI",
                (REPAIR,),
                weakness="Resilience specifications are missing from older agreements with body shops.",
            ),
        ),
        examined_in=(CLAIMS, REPAIR, LEGAL),
        day=3,
    ),
    "MON": PaStory(
        model="CERT-RMM",
        documents=(
            Doc(
                "Security monitoring program charter",
                "document",
                "Purpose, stakeholders and requirements of the monitoring program.",
                ("SG1.SP1", "SG1.SP2", "SG1.SP3", "SG1.SP4"),
            ),
            Doc(
                "SIEM use-case catalogue",
                "spreadsheet",
                "Monitoring infrastructure, log sources and collection standards.",
                ("SG2.SP1", "SG2.SP2"),
            ),
            Doc(
                "Threat intelligence feed review minutes",
                "record",
                "What was collected from the feeds and who received it.",
                ("SG2.SP3", "SG2.SP4"),
            ),
        ),
        unit_record="Monitoring alerts received and handled, {unit}",
        said=(
            Said("The SIEM alerts go to the security office around the clock.", ("SG2",)),
            Said("We told the security office which of our systems must be watched.", ("SG1",)),
        ),
        cells=(
            Cell(
                "SG2.SP2",
                "LI",
                (SECURITY_OFFICE,),
                weakness="Collection standards exist for the SIEM but not for application logs.",
            ),
        ),
        examined_in=(SECURITY_OFFICE,),
        day=3,
    ),
}

# Organization-wide documents for the generic practices, linked in every process area and unit.
GENERIC_DOCUMENTS: tuple[Doc, ...] = (
    Doc(
        "Customer services policy set",
        "document",
        "Policies for incidents, risk, continuity, suppliers, measurement, security and information.",
        ("GP2.1",),
    ),
    Doc(
        "Annual process plan 2026 – customer services",
        "document",
        "Planned process activities, schedules and owners.",
        ("GP2.2",),
    ),
    Doc("Resourcing and budget plan 2026", "spreadsheet", "Staff, tools and budget per process.", ("GP2.3",)),
    Doc(
        "Process ownership and RACI – customer services",
        "spreadsheet",
        "Who is responsible, accountable, consulted and informed for each process.",
        ("GP2.4",),
    ),
    Doc("Training records: customer services staff 2026", "spreadsheet", "Courses and attendance.", ("GP2.5",)),
    Doc("Document control register", "spreadsheet", "Controlled documents with versions and approvals.", ("GP2.6",)),
    Doc(
        "Stakeholder involvement matrix",
        "document",
        "Which stakeholders take part in which process activities.",
        ("GP2.7",),
    ),
    Doc(
        "Process performance reviews, Q2–Q3 2026",
        "presentation",
        "Process measures against plan, with corrective actions.",
        ("GP2.8",),
    ),
    Doc(
        "Quality assurance audit report Q2 2026",
        "document",
        "Audit of adherence to the customer services processes.",
        ("GP2.9",),
    ),
    Doc(
        "Management review minutes, Sep 2026",
        "record",
        "Status of the processes reviewed with senior management.",
        ("GP2.10",),
    ),
)

# What people said about the generic practices, linked in every process area of the session's unit.
GENERIC_SAID: tuple[Said, ...] = (
    Said("The policy set is on the intranet and our manager went through it with us.", ("GP2.1",)),
    Said("Our work is planned for the year, and the plan is updated when the work changes.", ("GP2.2",)),
    Said("We have the people and tools the plan asks for; the budget is agreed each autumn.", ("GP2.3",)),
    Said("Responsibilities are in the RACI and in our job descriptions.", ("GP2.4",)),
    Said("New staff do the procedure training before they work alone.", ("GP2.5",)),
    Said("Templates and procedures come from the document register, so we use the current version.", ("GP2.6",)),
    Said("The people who depend on our work are invited to the reviews that matter to them.", ("GP2.7",)),
    Said("Our manager looks at the process figures every month and acts on deviations.", ("GP2.8",)),
    Said("Quality assurance audited us this year and we closed their findings.", ("GP2.9",)),
    Said("Status goes to the management review each month.", ("GP2.10",)),
)

GENERIC_WEAKNESSES: dict[str, str] = {
    "GP2.2": "The plan for the process is not updated when the work changes.",
    "GP2.5": "Training records are incomplete for staff who joined this year.",
    "GP2.6": "Some templates in use are not the controlled versions.",
    "GP2.7": "Stakeholder involvement is planned but not recorded.",
    "GP2.10": "Management review minutes do not record decisions on this process.",
}


class SessionPlan(NamedTuple):
    code: str
    kind: str
    day: int
    hour: int
    unit: str | None
    roles: str
    participants: tuple[tuple[str, str], ...]
    """(name, role): kept in the participant table only."""
    notes: str
    covers: tuple[str, ...]
    """Process areas whose statements this session gives: "*" = every PA the session's unit implements."""
    generic: bool = False
    """The session also gives the statements on generic practices."""
    units: tuple[str, ...] = ()
    """For a session with no unit: the units its statements are about."""


SESSIONS: tuple[SessionPlan, ...] = (
    SessionPlan(
        "S01",
        "presentation",
        0,
        9,
        None,
        "Chief Operating Officer; head of customer services",
        (("Elena Marchetti", "Chief Operating Officer"), ("Graham Okoye", "Head of customer services")),
        "Opening presentation: the six customer services, their staff and the security management system. "
        "The sponsor confirmed the scope and the schedule.",
        ("SM",),
        units=(SECURITY_OFFICE,),
    ),
    SessionPlan(
        "S02",
        "interview",
        0,
        11,
        CLAIMS,
        "Team lead; two case handlers",
        (("Rita Okafor", "Team lead"), ("Jordan Keane", "Case handler"), ("Alex Moreno", "Case handler")),
        "Walked through the unit's tickets, risk register extract and continuity plan. Open point: the trend "
        "report mentioned for incidents could not be found.",
        ("*",),
        generic=True,
    ),
    SessionPlan(
        "S03",
        "interview",
        0,
        14,
        POLICIES,
        "Administration manager; underwriter",
        (("Chris Lindqvist", "Administration manager"), ("Fatima Haddad", "Underwriter")),
        "Policy administration system, access reviews and backups were shown on screen.",
        ("*",),
        generic=True,
    ),
    SessionPlan(
        "S04",
        "interview",
        1,
        9,
        QUOTES,
        "Team lead; sales agent",
        (("Yuki Tanaka", "Team lead"), ("Peter Novak", "Sales agent")),
        "Quote portal incidents and the monthly security dashboard discussed; no transition in the period.",
        ("*",),
        generic=True,
    ),
    SessionPlan(
        "S05",
        "interview",
        1,
        11,
        BILLING,
        "Billing supervisor; finance analyst",
        (("Sam Patel", "Billing supervisor"), ("Irene Costa", "Finance analyst")),
        "Billing engine go-live and its transition records; vital records restore tests.",
        ("*",),
        generic=True,
    ),
    SessionPlan(
        "S06",
        "interview",
        1,
        14,
        LEGAL,
        "Unit manager; paralegal",
        (("Hannah Brooks", "Unit manager"), ("Marco Rossi", "Paralegal")),
        "Panel firm selection and supplier reviews; patch exceptions on case management laptops.",
        ("*",),
        generic=True,
    ),
    SessionPlan(
        "S07",
        "interview",
        2,
        9,
        REPAIR,
        "Network coordinator; assessor",
        (("Owen Gallagher", "Network coordinator"), ("Leila Farouk", "Assessor")),
        "Body-shop agreements, supplier reviews and data exchanged with partners.",
        ("*",),
        generic=True,
    ),
    SessionPlan(
        "S08",
        "demonstration",
        2,
        11,
        SECURITY_OFFICE,
        "Security analyst",
        (("Lena Fischer", "Security analyst"),),
        "Demonstration of the SIEM console, the weekly vulnerability scan and the patch compliance report.",
        ("VAR", "MON"),
    ),
    SessionPlan(
        "S09",
        "interview",
        2,
        14,
        SECURITY_OFFICE,
        "CISO; security operations lead",
        (("Victor Nakamura", "CISO"), ("Aisha Bello", "Security operations lead")),
        "Security management system, threat scoring, controls and monitoring. The approval of scoring "
        "changes is an open question.",
        ("*",),
        generic=True,
    ),
    SessionPlan(
        "S10",
        "interview",
        2,
        16,
        None,
        "Service managers (group)",
        (
            ("Daniel Weber", "Service manager"),
            ("Grace Mensah", "Service manager"),
            ("Tomás Ruiz", "Service manager"),
            ("Nadia Petrova", "Service manager"),
        ),
        "Group interview on how the services plan, measure and report their work.",
        ("MA",),
        units=(QUOTES, CLAIMS),
    ),
    SessionPlan(
        "S11",
        "interview",
        3,
        9,
        None,
        "Process owners: risk, continuity, supplier management",
        (("Helen Carter", "Risk manager"), ("Ivan Horvat", "Continuity coordinator"), ("Mei Chow", "Procurement")),
        "Process owners explained the enterprise risk framework, the continuity program and sourcing.",
        ("RSKM", "SCON", "SC", "SAM"),
        units=(CLAIMS, LEGAL),
    ),
    SessionPlan(
        "S12",
        "written",
        3,
        11,
        REPAIR,
        "Body-shop network manager (written answers)",
        (("Carlos Mendes", "Body-shop network manager"),),
        "Written answers to the team's questions on external dependencies.",
        ("EXD", "SAM"),
    ),
    SessionPlan(
        "S13",
        "interview",
        3,
        14,
        None,
        "Incident manager; measurement analyst",
        (("Samuel Adeyemi", "Incident manager"), ("Julia Brandt", "Measurement analyst")),
        "Follow-up on incident prevention and on the data quality of service measures.",
        ("IRP", "MA"),
        units=(QUOTES, POLICIES),
    ),
    SessionPlan(
        "S14",
        "presentation",
        4,
        10,
        None,
        "Representatives of every sampled unit",
        (),
        "Planned: validation of the preliminary findings with representatives of every sampled unit and the "
        "security office.",
        (),
    ),
)

# Review flags a team member left for the lead: (PA, practice, unit, comment).
REVIEW_FLAGS: tuple[tuple[str, str, str, str], ...] = (
    ("IRP", "SP3.1", REPAIR, "Check the date of the quarterly trend report; it may predate the sample period."),
    ("SAM", "SP2.1", LEGAL, "Ask for the Q3 review once more before we settle PI."),
    ("VAR", "SG3.SP1", REPAIR, "Two exceptions were approved by e-mail; confirm they count."),
)


class FindingPlan(NamedTuple):
    pa: str | None
    target: str | None
    """A goal or practice code (short form for CERT-RMM), or None for the whole process area."""
    kind: str
    status: str
    text: str


DELIBERATE_ATTRIBUTION = "Rita Okafor"
"""The one participant name the demo leaves in a preliminary finding, so the Findings page shows the flag."""

FINDINGS: tuple[FindingPlan, ...] = (
    FindingPlan(
        "SM",
        "ESP1.4",
        "weakness",
        "validated",
        "Changes to the threat scoring criteria are made without a defined approval, so threat priorities can shift "
        "without management agreement.",
    ),
    FindingPlan(
        "SM",
        "ESP1.6",
        "strength",
        "validated",
        "Security objectives are set with the executive team and traced to a security management plan the "
        "executive team signed.",
    ),
    FindingPlan(
        "SM",
        "GP2.9",
        "weakness",
        "validated",
        "Adherence to the security management process is not objectively evaluated; internal audits have not "
        "covered it.",
    ),
    FindingPlan(
        "IRP",
        "SG3",
        "weakness",
        "preliminary",
        "Incident data are not analysed for trends, so recurring incidents are not prevented systematically.",
    ),
    FindingPlan(
        "IRP",
        "SG3",
        "weakness",
        "preliminary",
        f"{DELIBERATE_ATTRIBUTION} said recurring outages of the intake form are fixed one by one and never "
        "analysed together.",
    ),
    FindingPlan(
        "IRP",
        "SG2",
        "strength",
        "preliminary",
        "Incidents are recorded, prioritised and followed to closure consistently, and customers hear how their "
        "case stands.",
    ),
    FindingPlan(
        "MA",
        "SG2",
        "weakness",
        "preliminary",
        "The data quality of service measures is not verified before results are reported to management.",
    ),
    FindingPlan(
        "MA",
        None,
        "improvement",
        "preliminary",
        "Consider verifying the data quality of service measures before they are reported to management.",
    ),
    FindingPlan(
        "SCON",
        "SG3",
        "strength",
        "validated",
        "Continuity exercises are realistic, measured against recovery objectives, and their lessons are acted on.",
    ),
    FindingPlan(
        "SAM",
        "SP2.1",
        "weakness",
        "preliminary",
        "Supplier performance reviews required by the agreements are not held for every supplier.",
    ),
    FindingPlan(
        "VAR",
        "SG3",
        "weakness",
        "preliminary",
        "Exceptions to the patching deadline are tracked but not always approved before the deadline passes.",
    ),
    FindingPlan(
        "CTRL",
        "GP2.8",
        "weakness",
        "preliminary",
        "Control performance is not monitored against the plan between annual self-assessments.",
    ),
    FindingPlan(
        "KIM",
        None,
        "improvement",
        "preliminary",
        "Consider extending the quarterly access reviews to the archive of closed cases.",
    ),
    FindingPlan(
        None,
        None,
        "strength",
        "validated",
        "Staff across customer services know the escalation routes for incidents and security events and use them.",
    ),
)

# Documents kept where they live rather than stored in the file: (title, location, PA, practices).
REFERENCED: tuple[tuple[str, str, str, tuple[str, ...]], ...] = (
    (
        "Security dashboard (intranet, live)",
        "https://intranet.ovig.example/security/dashboard",
        "SM",
        ("ESP2.2",),
    ),
    (
        "Service desk queue (live view)",
        "https://servicedesk.ovig.example/queues/customer-services",
        "IRP",
        ("SP2.4",),
    ),
)

# Documents the organization showed in two versions: title -> (current version label, older label, older text).
EARLIER_VERSIONS: dict[str, tuple[str, str, str]] = {
    "Information Security Policy v3.2": ("3.2", "3.1", "Version 3.1, superseded in March 2026."),
    "Incident management procedure IM-01": ("2.1", "2.0", "Version 2.0, before the priority matrix was added."),
}
