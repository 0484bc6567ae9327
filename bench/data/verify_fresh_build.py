# ruff: noqa: E501  (the cases are quoted sentences, kept whole on one line each)
"""Writes bench/data/verify_fresh.jsonl (the third quote-checker set; see verify_fresh.md):
    python bench/data/verify_fresh_build.py bench/data/verify_fresh.jsonl
(id, kind, source, paragraph numbers, quote[, reversed]); checks each case against the archive."""

import collections
import gzip
import json
import re
import sys
from pathlib import Path

NEWS = Path(__file__).resolve().parents[3] / "shared" / "data" / "news-corpus" / "bbc-news-2225.jsonl.gz"
arts = {}
with gzip.open(NEWS, "rt") as fh:
    for n, line in enumerate(fh):
        if n == 300:
            break
        article = json.loads(line)
        arts[article["id"]] = article


def paras(i):
    return [p for p in arts[i]["text"].split("\n") if p.strip()]


B = "bbc-business-"
C = [
    # altered-synonym
    (
        "altered-synonym",
        "003",
        [1],
        "Rosneft already faces a similar $540m repayment claim from foreign banks.",
    ),
    (
        "altered-synonym",
        "011",
        [1],
        "Ask Jeeves, once among the best-known names on the internet, is now a relatively small player.",
    ),
    ("altered-synonym", "029", [1], "The Vestey Group said it had not been told of any planned seizure."),
    (
        "altered-synonym",
        "063",
        [1],
        "The 3.3% drop in car sales had been expected, coming after December's 4% rise in car sales, fuelled by generous pre-Christmas special offers.",
    ),
    (
        "altered-synonym",
        "081",
        [1],
        "BMW said that it was too soon to say how many cars were affected or how much the recall would cost.",
    ),
    ("altered-synonym", "120", [2], "However, some farmers are doubtful about the proposals."),
    (
        "altered-synonym",
        "173",
        [1],
        "Dutch firm Heineken saw its yearly profits fall 33% and warned that earnings in 2005 may also slide.",
    ),
    (
        "altered-synonym",
        "207",
        [0],
        "Shares in music giant EMI have plunged by more than 16% after the firm issued a profit warning following poor sales and delays to two album releases.",
    ),
    (
        "altered-synonym",
        "235",
        [2],
        "The government has ruled out increasing the state pension age, because it says it would penalise lower-skilled workers who generally have shorter life expectancies.",
    ),
    (
        "altered-synonym",
        "029",
        [5],
        "The Vestey Group said it had owned the land since 1920 and would cooperate fully with the officials.",
    ),
    # altered-paraphrase
    (
        "altered-paraphrase",
        "019",
        [0],
        "Foreign investors may now own up to 74% of Indian telecoms companies, up from 49%.",
    ),
    (
        "altered-paraphrase",
        "053",
        [0],
        "Reuters said its revenues fell 11% in 2004, largely because of the weak dollar.",
    ),
    (
        "altered-paraphrase",
        "118",
        [1],
        "Ericsson's shares fell 5.9% to 20.7 kronor in early Thursday trading.",
    ),
    (
        "altered-paraphrase",
        "166",
        [4],
        "Travelling from Heathrow to the City would take 40 minutes, sharply cutting journey times for business travellers and easing overcrowding on the Tube.",
    ),
    (
        "altered-paraphrase",
        "182",
        [1],
        "Finance minister Nicolas Sarkozy warned that French growth was threatened by high oil prices.",
    ),
    (
        "altered-paraphrase",
        "237",
        [2],
        "Britannia has also stopped paying members whose share would be worth under £5.",
    ),
    (
        "altered-paraphrase",
        "263",
        [2],
        "The FSA added that by agreeing to pay compensation the eighteen firms were not admitting any guilt.",
    ),
    (
        "altered-paraphrase",
        "294",
        [0],
        "US shares closed higher after George W Bush won the presidential election.",
    ),
    (
        "altered-paraphrase",
        "255",
        [0],
        "A leading retirement think-tank has described the UK pension system as inadequate and too complex.",
    ),
    (
        "altered-paraphrase",
        "267",
        [2],
        "Only investors who bought shares in the private placings will make money from the sale, not Nasdaq, the filing documents said.",
    ),
    # altered-reorder
    (
        "altered-reorder",
        "023",
        [1],
        "For the full year, it leaves GDP up 2.3%, but short of the 2.5% which the French government had predicted.",
    ),
    (
        "altered-reorder",
        "039",
        [2],
        "In the last two years, Heineken, Anheuser-Busch and Scottish & Newcastle have all invested in the Chinese beer industry.",
    ),
    (
        "altered-reorder",
        "085",
        [1],
        "In December mortgage lending rose by £7.1bn, up from a rise of £6.4bn in November.",
    ),
    (
        "altered-reorder",
        "170",
        [0],
        "According to figures from the Office of the Deputy Prime Minister, UK house prices fell 0.7% in December.",
    ),
    (
        "altered-reorder",
        "290",
        [1],
        "Analysts put the drop down to less consumer confidence, with retail sales disappointing over Christmas.",
    ),
    ("altered-reorder", "278", [1], "AT&T employs 47,000 people, while SBC currently employs 163,000."),
    # altered-dropped-clause
    (
        "altered-dropped-clause",
        "036",
        [1],
        "Big US firms already have to meet the requirements, but smaller ones and foreign-based firms originally had until the middle of this year.",
    ),
    (
        "altered-dropped-clause",
        "048",
        [3],
        "Lawmakers said on Wednesday night Enrico Bondi spoke positively about the company during a closed-door hearing of the Chamber of Deputies industry commission.",
    ),
    (
        "altered-dropped-clause",
        "092",
        [3],
        "The firm has refused to comment on whether it has business dealings in Israel, although it has an interconnection deal with Israeli networks so that its customers can use their phones there.",
    ),
    (
        "altered-dropped-clause",
        "156",
        [1],
        "The news sent Tokyo shares to an eight-month high, as investors hoped for a recovery from the contraction seen from April 2004 on.",
    ),
    (
        "altered-dropped-clause",
        "244",
        [1],
        "Other investors barely blinked, and by 1300 GMT Carnival's shares in London were down a single penny at £32.26.",
    ),
    (
        "altered-dropped-clause",
        "260",
        [4],
        "Shaheed noted that investment in a single tourist resort could run to $40m.",
    ),
    # altered-number
    (
        "altered-number",
        "120",
        [1],
        "Agriculture Minister Adamu Bello said the scheme aimed to boost production from an expected 180,000 tonnes this year to 500,000 tonnes by 2008.",
    ),
    (
        "altered-number",
        "186",
        [0],
        "Indian airline Jet Airways' initial public offering was oversubscribed 12.6 times, bankers said on Friday.",
    ),
    (
        "altered-number",
        "248",
        [3],
        "The biggest annual gains were made in Wales, where house prices were up by 32% in the fourth quarter.",
    ),
    (
        "altered-number",
        "112",
        [1],
        "Orange added more than six million new customers in 2004, leading to a 10% increase in its revenues.",
    ),
    (
        "altered-number",
        "129",
        [2],
        'The ministry said that it wanted to increase Iraq\'s "very low telephone service penetration rate from about 4.5% today to about 35% within 10 years."',
    ),
    (
        "altered-number",
        "237",
        [0],
        "More than 800,000 Britannia Building Society members are to receive a profit share worth on average £25 each.",
    ),
    # altered-name
    (
        "altered-name",
        "036",
        [2],
        '"I think this signifies a change of heart at the SEC," CBI director-general Sir Digby Jones told the BBC\'s Newsnight programme.',
    ),
    (
        "altered-name",
        "108",
        [1],
        '"February was another good month in the manufacturing sector," said ISM survey chairman Norman Ore.',
    ),
    (
        "altered-name",
        "260",
        [1],
        '"Obviously with a lot of loss of life, a lot of time is needed to clean up the mess, bury the people and find the missing," said HSBC\'s Eddie Wong.',
    ),
    (
        "altered-name",
        "156",
        [1],
        '"Overall I see a low risk of the economy falling into serious recession," said Bank of Japan chief Masaru Hayami.',
    ),
    (
        "altered-name",
        "053",
        [2],
        '"Improving customer relationships, more competitive products and continued strong cost discipline position us well for 2005," chief executive David Grigson said.',
    ),
    (
        "altered-name",
        "176",
        [1],
        "The company, AstraZeneca, is to alter the packaging and change the colour of the pills, currently provided to developing nations under a humanitarian agreement.",
    ),
    # contradicted
    (
        "contradicted-negation-dropped",
        "081",
        [1],
        "The faulty part does represent a safety risk and the recall only affects pumps made in December and January.",
        [["does represent", "does not represent"]],
    ),
    (
        "contradicted-negation-added",
        "119",
        [4],
        "Business groups did not welcome the MPC's widely-expected move to leave rates on hold and cautioned against further rises.",
        [["did not welcome", "welcomed"]],
    ),
    (
        "contradicted-negation-added",
        "182",
        [2],
        "Analysts said French companies, keen to protect their profit margins at a time of rising energy costs, were not reluctant to take on extra staff.",
        [["were not reluctant", "were reluctant"]],
    ),
    (
        "contradicted-negation-added",
        "023",
        [0],
        "The French economy did not pick up speed at the end of 2004, official figures show.",
        [["did not pick up", "picked up"]],
    ),
    (
        "contradicted-negation-dropped",
        "235",
        [2],
        "Researchers have updated life expectancy projections for women, who on average live longer than men.",
        [["have updated", "have not updated"]],
    ),
    (
        "contradicted-negation-dropped",
        "207",
        [4],
        '"While this rescheduling and recent softness is disappointing, it does change my views of the improving health of the global recorded music industry," he added.',
        [["does change", "does not change"]],
    ),
    (
        "contradicted-antonym",
        "294",
        [0],
        "The US stock market has closed lower in response to George W Bush's victory in the presidential elections.",
        [["lower", "higher"]],
    ),
    (
        "contradicted-antonym",
        "085",
        [0],
        "The number of mortgages approved in the UK has fallen for the first time since May last year, according to lending figures from the Bank of England.",
        [["fallen", "risen"]],
    ),
    (
        "contradicted-antonym",
        "019",
        [2],
        "Analysts and investors have criticised the government decision.",
        [["criticised", "welcomed"]],
    ),
    (
        "contradicted-antonym",
        "180",
        [0],
        "The US dollar has risen against major currencies on concerns that central banks may cut the amount of dollars they hold in their foreign reserves.",
        [["risen", "dropped"]],
    ),
    # verbatim
    (
        "verbatim-sentence",
        "108",
        [0],
        "US industrial production increased for the 21st month in a row in February, but at a slower pace than in January, official figures show.",
    ),
    (
        "verbatim-typography",
        "244",
        [2],
        "“The Aurora issue had been an ongoing one for some time,” says Deutsche Bank’s Simon Champion.",
    ),
    (
        "verbatim-sentence",
        "019",
        [1],
        "Key positions, such as those of chief executive, chief technology officer and chief financial officer are to be held by Indians, he added.",
    ),
    (
        "verbatim-ellipsis",
        "011",
        [1],
        "The firm's revenue nearly tripled in the fourth quarter of 2004 ... Its $17m profit for the quarter was dwarfed by the $204m announced by rival Google earlier in the week.",
    ),
    ("verbatim-span-2para", "166", [2, 3], None),
    ("verbatim-span-3para", "263", [2, 3, 4], None),
]
INVENTED = [
    "Rosneft has agreed to repay the $900m loan to Menatep in full by the end of the year.",
    "Ask Jeeves said it would cut a third of its workforce after its advertising revenue collapsed.",
    "India's communist parties have withdrawn their support from Manmohan Singh's coalition over the telecoms decision.",
    "Illva Saronno plans to open a chain of wine bars across China within five years.",
    "Parmalat's creditors voted overwhelmingly to reject the administrators' re-listing plan.",
    "BMW said Bosch would pay the full cost of the recall, estimated at 200m euros.",
    "Turkcell has agreed to sell its entire stake in Irancell to a Russian mobile operator.",
    "The Bank of England governor said house prices would fall by a fifth over the next two years.",
    "GlaxoSmithKline will stop supplying cheap Aids drugs to Africa until the smuggling ends.",
    "Jet Airways plans to buy 40 new Airbus planes to start flights to New York next year.",
    "EMI said Coldplay's new album had sold five million copies in its first week.",
    "Carnival said it would sell the Aurora to a Greek cruise operator after the latest breakdown.",
    "Nigeria's cocoa farmers have staged a strike in protest at the new export tax.",
    "SBC said it would move AT&T's headquarters from New Jersey to Texas after the takeover.",
    "The Venezuelan government has offered the Vestey Group $50m in compensation for its ranches.",
    "Reuters will close its Canary Wharf offices and move back to Fleet Street in 2006.",
    "Heineken announced it would merge with Carlsberg to create the world's largest brewer.",
    "Britannia Building Society members voted to convert the society into a bank.",
    "The SEC fined several European companies for failing to meet the section 404 rules.",
    "Thailand's tourism minister said foreign visitors to Phuket had doubled since the tsunami.",
]


def norm(t):
    return " ".join(re.findall(r"\w+", t.lower().replace("’", "'")))


archive = {i: norm(a["text"]) for i, a in arts.items()}
rows = []
for n, c in enumerate(C, 1):
    kind, art, idx, quote = c[:4]
    src = B + art
    ps = paras(src)
    passage = "\n".join(ps[k] for k in idx)
    if quote is None:
        quote = "\n\n".join(ps[k] for k in idx)
    label = kind.split("-")[0]
    row = {"id": f"f{n:03d}", "quote": quote, "label": label, "kind": kind, "source": src, "passage": passage}
    if len(c) > 4:
        row["reversed"] = c[4]
    held = [i for i, t in archive.items() if norm(quote) in t]
    if label == "verbatim":
        pieces = [norm(p) for p in re.split(r"\.\.\.|…", quote)]
        assert all(p in norm(passage) for p in pieces), row["id"]
    else:
        assert not held, (row["id"], held)
        if label == "contradicted":
            for q, _ in c[4]:
                assert norm(q) in norm(quote), (row["id"], q)
    rows.append(row)
for q in INVENTED:
    n = len(rows) + 1
    assert not any(norm(q) in t for t in archive.values())
    rows.append(
        {
            "id": f"f{n:03d}",
            "quote": q,
            "label": "not_found",
            "kind": "not_found-invented",
            "source": None,
            "passage": None,
        }
    )
with open(sys.argv[1], "w", encoding="utf-8") as out:
    for r in rows:
        out.write(json.dumps(r, ensure_ascii=False) + "\n")
print(len(rows), collections.Counter(r["kind"] for r in rows))
