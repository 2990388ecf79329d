"""Grooming tactics are recognised in phrasings the patterns were never written from.

Two batches of single lines, written by hand for this file (none from the evaluation set or the pattern
lists): batch A was written first and its misses guided general improvements (new phrasing families,
synonyms, looser word order), batch B was written afterwards and was never tuned on, so its catch rate is
the honest estimate of how the engine meets wording nobody here has seen. Assertions are thresholds over a
batch, not per line: a line-by-line test would just invite pasting lines in as patterns. No sexual content;
made-up names only.
"""

from __future__ import annotations

import pytest

from childsafe.conversation import TACTICS, TacticDetector


@pytest.fixture(scope="module")
def detector() -> TacticDetector:
    return TacticDetector()


def found(detector: TacticDetector, text: str, minimum: float = 0.4) -> set[str]:
    return {h.tactic for h in detector.read(text).hits if h.confidence >= minimum}


def strongest(detector: TacticDetector, text: str) -> float:
    return max((h.confidence for h in detector.read(text).hits), default=0.0)


BATCH_A: dict[str, list[str]] = {
    "age_identity_probing": [
        "so hw old r u anyway", "u in yr 8 or yr 9?", "what are you, 12? 13?", "guessing ur like 14",
        "ur still in school right", "how many candles on ur last cake lol", "you're younger than me i bet",
        "what age did u turn this year", "sorry if this is weird but how old r ya", "born in what year?",
    ],
    "flattery_special_relationship": [
        "honestly ur way more grown up than the girls in my year", "i feel like i can tell u anything",
        "ur the sweetest person on this whole server", "u have such a pretty smile in ur pfp 😍",
        "nobody's ever made me laugh like u do", "ur different from everyone else on here",
        "i really like talking to you more than anyone", "ngl ur really special to me",
        "you're proper mature you know that", "i've never clicked with someone this fast",
    ],
    "gifts_offers": [
        "want me to get u that battle pass", "ill sort u out with some vbucks tonight",
        "i can send u a 50 quid amazon voucher", "what skin do u want ill buy it",
        "got a spare ps5 code if u want it", "ill pay for ur phone contract if u want",
        "need any robux? i got loads", "ill gift u nitro for a year", "let me buy you something nice 🎁",
        "fancy a new pair of trainers? my treat",
    ],
    "secrecy": [
        "dont go telling ur mum about me ok", "this is just between me n u yeah", "keep ur mouth shut about us",
        "ur parents dont need to know about this", "delete these msgs when ur done", "make sure u clear the chat",
        "can u not mention me to ur friends", "lets keep this our thing 🤫", "if ur dad asks say im from school",
        "no one can ever know we talk",
    ],
    "isolation_exclusivity": [
        "ur mates dont even care about u tbh", "ur mum doesnt get u like i do", "u dont need anyone else but me",
        "those girls are so fake, ditch them", "ur family just treats u like a baby",
        "i'm the only one whos always there for u", "why do u even bother with them",
        "u can only trust me, no one else", "ur better off just talking to me", "ur teachers dont care about u",
    ],
    "risk_assessment": [
        "anyone else home rn?", "ur parents out tonight?", "is ur mum in the house", "r u on ur own",
        "who else uses ur phone", "does ur dad go thru ur phone", "what time do ur parents go to sleep",
        "are u in ur room alone", "when do ur folks get back", "can ur mum see ur messages",
    ],
    "platform_move": [
        "got snap?", "whats ur insta so i can follow", "lets chat on whatsapp instead its easier",
        "message me on telegram my @ is nightowl_77", "drop ur number and ill text u",
        "this chat is so public, lets go private", "u on discord? add me", "can we talk on kik",
        "my snaps jayden.x4 add me", "text me instead 07700 900123",
    ],
    "photo_camera_request": [
        "send a pic of u pls", "lemme see a selfie", "can i see what u look like", "u got any pics of yourself",
        "hop on cam", "facetime me tonight?", "show me ur face", "snap me a pic rn",
        "send me a vid of u dancing", "can u take a photo for me",
    ],
    "meeting_request": [
        "we should link up fr", "wanna meet up this weekend", "i could come to ur town saturday",
        "lets meet at the shopping centre", "ill be outside ur school at 3", "come round mine after school",
        "can we hang out irl sometime", "i'll drive over and get u", "when r u free to meet",
        "meet me by the park gates tonight",
    ],
    "guilt_pressure": [
        "after all the stuff i got u", "u owe me big time", "i thought u were different",
        "stop being such a baby about it", "come onnn just do it for me", "u said u would",
        "ur making me really upset", "fine, i see how it is, u dont care", "i do everything for u and this is what i get",
        "dont u trust me?",
    ],
    "threats_sextortion": [
        "if u block me ill send everything to ur mum", "do it or everyone sees the screenshots",
        "ill post it all online", "ur whole school will see these", "i saved all ur pics",
        "u better answer or ur gonna regret it", "i know which school u go to", "nobody would believe u anyway",
        "send it or ill tell ur parents everything", "ill ruin ur life",
    ],
    "body_relationship_steering": [
        "u got a bf?", "any boys at school u like?", "have u ever had a boyfriend",
        "what r u wearing rn", "do u like older guys", "u single?", "ever been kissed?",
        "age is only a number", "would u go out with someone older", "u look so grown up now",
    ],
    "location_probing": [
        "where u from", "wat school u go to", "whats ur postcode", "what area do u live in",
        "how far r u from london", "send me ur location", "which town r u in",
        "where abouts do u live", "what time do u get out of school", "whats the name of ur school",
    ],
}

# A second tuning batch, written after the first round of improvements, in registers the first lacked
# (US slang, indirect asks, emoji, typos, longer run-on texts).
BATCH_A2: dict[str, list[str]] = {
    "age_identity_probing": [
        "real talk how old are u", "wait r u even a teenager yet", "u sound young lol what grade",
        "so like what yr were u born", "ur 15 rite?", "hope u dont mind me asking ur age",
        "r u old enough to be on here", "middle school or high school?", "age check 😂 how old",
        "u turning 13 this year or 14",
    ],
    "flattery_special_relationship": [
        "ur honestly my fav person to talk to", "u have the prettiest eyes omg 😍",
        "ur way too mature to be hanging with kids ur age", "i swear ur one in a million",
        "nobody has ever understood me like u", "ur literally perfect", "u could totally be a model fr",
        "ur smarter than most adults i know", "we just get each other u know", "talking to u is the best part of my day",
    ],
    "gifts_offers": [
        "want a roblox gift card? i got an extra one", "ill venmo u 20 bucks", "i can get u the skin u wanted",
        "how many vbucks do u need", "lmk what u want and its yours", "i'll send u some money for the weekend",
        "i could cover ur xbox live sub", "got u a lil something 🎁 just tell me ur address",
        "u want my old iphone? its basically new", "free robux if u add me",
    ],
    "secrecy": [
        "pls dont say anything to ur parents", "u cant tell anyone about our chats",
        "lets keep this on the low", "promise u wont tell", "ur mom would freak if she knew so dont",
        "this convo never happened ok", "wipe ur messages after we talk", "dont show anyone what i send u",
        "keep it between us two 🤐", "ur friends dont need to know about me",
    ],
    "isolation_exclusivity": [
        "ur parents just dont get u", "u dont need friends like that", "im the only one who actually cares about u",
        "they're all jealous of u tbh", "u should stop hanging with them", "ur friends are so immature honestly",
        "ur family doesnt appreciate u", "u have me, thats all u need", "those ppl at school are fake af",
        "why waste time on them when u have me",
    ],
    "risk_assessment": [
        "ur parents asleep yet?", "is ur mom around rn", "r u by urself tonight", "anybody there with u?",
        "do ur parents look at ur phone", "does ur mom check ur texts", "where r ur parents rn",
        "when does ur dad get off work", "is ur door locked", "anyone gonna walk in on u?",
    ],
    "platform_move": [
        "whats ur snapchat", "lets move to snap its better", "can i get ur number", "wanna talk on insta instead",
        "im on telegram, same name", "hmu on whatsapp", "add my snap its coolguy_99", "dm me on discord",
        "lets use a different app this one glitches", "u got kik?",
    ],
    "photo_camera_request": [
        "pics or it didnt happen 😂 send one", "can u send a pic so i know ur real", "wanna facetime?",
        "show me ur outfit", "send a selfie pls", "can we video chat later", "turn ur cam on",
        "lemme see u", "take a pic for me", "send me sum pics",
    ],
    "meeting_request": [
        "we should meet up irl", "wanna hang out at the mall saturday", "i can pick u up",
        "when can i see u", "lets meet somewhere quiet", "can u sneak out tonight",
        "ill come to ur house", "meet me at the station after school", "how about we meet up this wknd",
        "i could drive to u",
    ],
    "guilt_pressure": [
        "i thought we were friends", "ur being so mean to me rn", "guess u dont care abt me",
        "after everything ive done for u", "if u cared u would", "u promised me", "dont be boring",
        "everyone else does it", "ur making me sad", "its not a big deal just do it",
    ],
    "threats_sextortion": [
        "do it or ill send ur pics to everyone", "ill tell ur parents everything", "ill leak the screenshots",
        "ur gonna be sorry", "i have ur pics remember", "send money or ur friends see everything",
        "i'll show ur school what u sent", "everyone at ur school will see", "nobody will believe u",
        "i know where u live",
    ],
    "body_relationship_steering": [
        "do u have a crush", "got a boyfriend?", "ever kissed a boy?", "whats ur type",
        "would u date an older guy", "u single rn?", "what r u wearing", "age doesnt matter",
        "ur so hot", "have u ever been on a date",
    ],
    "location_probing": [
        "where do u stay", "whats ur address", "what city r u in", "which school do u go to",
        "drop ur location", "what neighborhood r u in", "how far is ur school from ur house",
        "where do u hang after school", "what street do u live on", "r u near the mall",
    ],
}

# Written as a held-out batch after tuning on A and A2 (it scored 72.1% on the original engine and 76.9%
# after those two rounds: the honest number then), and only afterwards used for a third round of tuning.
BATCH_B: dict[str, list[str]] = {
    "age_identity_probing": [
        "hold on how old even r u", "ur not like 11 are u lol", "what year group r u in at ur school",
        "u look about 14 in ur pic, am i close", "so r u in secondary yet", "how old will u be this summer",
        "bet ur younger than my little sister haha", "quick q whats ur age",
    ],
    "flattery_special_relationship": [
        "u honestly light up my day", "ur not like the other kids on here at all", "ur so gorgeous its unreal",
        "i never feel this comfy talking to anyone else", "ur soooo mature omg", "u and me have something special",
        "ur the best thing on this app", "deadass ur the prettiest girl ive seen",
    ],
    "gifts_offers": [
        "do u want a fortnite gift card i got 2", "i can load ur account with robux", "lemme get u the new skin bundle",
        "ill send money to ur paypal", "want me to pay for ur game pass", "i got u covered for the new headphones",
        "if u need cash just ask me", "ill treat u to something nice this weekend",
    ],
    "secrecy": [
        "ur parents can never find out bout us", "dont breathe a word to anyone", "keep our chats on the dl ok",
        "delete everything after u read it", "if ur mum asks who ur texting say its a mate",
        "nobody else has to know about this", "promise me u wont say anything", "hide the app so no one sees",
    ],
    "isolation_exclusivity": [
        "ur friends are holding u back honestly", "u dont need any of them", "ur parents will never understand u like me",
        "ur mates r just using u", "i'm all u need trust me", "ignore them, theyre jealous", "only i really get u",
        "they dont deserve u, u have me",
    ],
    "risk_assessment": [
        "is ur mum home or at work", "r ur parents strict about ur phone", "who's in the house with u",
        "are u alone in ur room rn", "does anyone check what u do online", "ur dad still out?",
        "can anyone hear u rn", "when do ur parents usually go bed",
    ],
    "platform_move": [
        "u have whatsapp? easier to talk there", "whats ur @ on insta", "lets take this to snap",
        "my number is 07700 900777 text me", "can i add u on snapchat", "this game chat is rubbish lets move",
        "talk on discord later?", "give me ur digits",
    ],
    "photo_camera_request": [
        "can i get a pic of u", "send a cute selfie 😘", "show me what ur wearing", "video call me later?",
        "turn ur camera on for a sec", "wanna facetime rn", "send me more pics", "u should send me a pic tonight",
    ],
    "meeting_request": [
        "when can we finally meet", "wanna meet at the cinema sat", "i'll come pick u up after school",
        "meet me outside ur school tmrw", "come over to my place", "lets link up this weekend just us",
        "i could visit u next week", "we should hang out irl soon",
    ],
    "guilt_pressure": [
        "u really hurt my feelings", "i did so much for u and u cant do this", "wow so u dont trust me",
        "after all the gifts i sent u", "come on dont be shy", "if u liked me u would do it",
        "ur being selfish", "u owe me for the robux",
    ],
    "threats_sextortion": [
        "send it or ur mum sees our chats", "ill share ur pics with the whole school", "u r gonna regret ignoring me",
        "i have screenshots of all of it", "do what i say or else", "ill make sure everyone knows",
        "ill leak everything u sent", "i know ur address",
    ],
    "body_relationship_steering": [
        "do u have a bf or gf", "have u ever kissed anyone", "whats ur type of guy", "would u date someone older",
        "what r u wearing rn", "ur single right?", "have u had ur first kiss", "age is just a number anyway",
    ],
    "location_probing": [
        "what part of town r u in", "where abouts r u", "whats ur school called", "what city do u live in",
        "is ur house near the park", "what bus do u get home", "where do u go after school",
        "send me ur addy",
    ],
}

BENIGN_B: list[str] = [
    "don't tell anyone who the killer is in the book!!", "shhh its a surprise for dad's 40th",
    "send me a pic of the maths sheet question 7", "my mum says u can come to mine after school",
    "whats ur number, need it for the group chat", "training's at the leisure centre at 6",
    "grandad wants to video call on sunday", "wanna swap my rare pokemon card for ur holo",
    "coach wants everyone at the pitch by 9", "ur so funny lol",
    "i'll pay u back for the bus tomorrow", "are u going to the school disco",
    "can u send me the link to the homework", "ill bring ur jumper back on monday",
    "happy birthday!! hope u get loads of presents", "what time does the film start",
    "mrs patel said the project is due friday", "my dad is getting us pizza",
    "we're meeting at the library to revise", "lol my brother broke the xbox dont tell mum",
]

# Written as the held-out batch after three rounds (59.6% on the original engine, 65.4% after the three
# rounds, with 4 of its 20 benign lines strong), then used for a fourth round.
BATCH_C: dict[str, list[str]] = {
    "age_identity_probing": [
        "omg wait ur profile says 16 but u seem younger, whats ur real age", "u in primary still or nah",
        "so are u like a year 7", "how old r u gonna be on ur next bday", "tbh i cant tell if ur 12 or 15 lol",
        "do u even go to secondary yet", "r u sure ur old enough for this game", "hey random q, what age r u",
    ],
    "flattery_special_relationship": [
        "ngl ur the most interesting person i talk to", "ur smile in that pic is everything",
        "ur way smarter than people twice ur age", "i can be myself with u, nobody else gets me",
        "honestly u deserve so much better than ur friends", "its like weve known each other for years",
        "ur so pretty u dont even realise it", "talking to u makes everything better",
    ],
    "gifts_offers": [
        "i'll chuck u a tenner if u want", "u want the new fifa? ill buy it for u now",
        "how about i get u some gems for clash", "i just sent u 800 robux check ur account 😉",
        "ill pay for ur nails if u want", "tell me ur fave skin and its yours",
        "wanna new controller? i got a spare", "i can buy u credit for ur phone",
    ],
    "secrecy": [
        "remember, what we talk about stays here", "ur mom doesnt need to see these",
        "if anyone asks we never talked ok", "clear ur history after this", "dont go showing ur friends our chat",
        "this has to stay just between u and me", "tell no one ok? not even ur best friend",
        "make sure ur parents dont see my messages",
    ],
    "isolation_exclusivity": [
        "ur family dont even notice u", "i'm the only one who actually listens to u", "ur friends r fake, i'm real",
        "why do u even need them when u got me", "ur mum is way too strict with u",
        "no one at ur school deserves u", "just stick with me, forget the rest", "they will never get u like i do",
    ],
    "risk_assessment": [
        "ur mum not back yet?", "anyone else awake in ur house", "do ur parents ever read ur chats",
        "is ur dad working late again tonight", "r u home alone after school", "how often do ur parents check ur phone",
        "where's ur mum rn", "can ur parents see this app",
    ],
    "platform_move": [
        "we should talk on snap instead, this app deletes stuff", "send me ur whatsapp number",
        "i made a discord server just for us", "hmu on tiktok my user is the same",
        "do u use telegram? its more private", "cant talk here, text me", "lets switch to insta dms",
        "whats ur kik",
    ],
    "photo_camera_request": [
        "i wanna see u, send one", "show me a pic of u in ur uniform", "can we facetime so i know ur real",
        "record a vid for me", "pls send a new pic", "put ur camera on i wanna see u",
        "take a mirror pic and send it", "can u go live for me later",
    ],
    "meeting_request": [
        "ill be in ur area on friday, we should meet", "can u get the bus to mine", "wanna meet up at the park later",
        "ill wait for u by the shops after school", "lets meet somewhere no one knows us",
        "how about i come to ur school at home time", "i really wanna see u in person", "come out tonight, ill pick u up",
    ],
    "guilt_pressure": [
        "i gave u all those robux and u wont even do this", "wow after everything", "ur so ungrateful",
        "i thought u actually liked me", "if u were really my friend u'd do it", "ur upsetting me now",
        "stop acting like a little kid", "just this once pls",
    ],
    "threats_sextortion": [
        "u better do it or i'll show everyone", "i'll send ur mum everything u said",
        "answer me or ill post the pics", "ur friends r gonna see everything", "i screenshotted it all",
        "if u block me u'll regret it", "i'll put it all online", "do as i say",
    ],
    "body_relationship_steering": [
        "do u have a bf yet", "has any boy asked u out", "whats ur type lol", "r u dating anyone",
        "would u ever go out with an older guy", "age doesnt mean anything to me", "u ever been kissed",
        "what do u wear to bed",
    ],
    "location_probing": [
        "what town u in", "where's ur house", "what road do u live on", "what school r u at",
        "how far is ur house from the station", "share ur location with me", "which area r u from",
        "what time do u finish school",
    ],
}

BENIGN_C: list[str] = [
    "don't tell anyone what happens in the last episode omg", "keep it quiet, we're planning mum's surprise",
    "can u send me a pic of the spelling list", "whats ur number? the team needs it for the rota",
    "practice is cancelled, see u thursday", "ur mum said i can pick u up from school",
    "nan sent u a card, check the post", "wanna trade skins? ill give u my dragon one for ur ninja",
    "are ur parents coming to parents evening", "can u send me ur homework answers lol",
    "happy bday! i got u a voucher", "my brother lost the remote dont say anything",
    "i'll give u the money back tomorrow", "where do u want to meet for the cinema with everyone",
    "what time is the bus tomorrow", "ur so good at drawing",
    "are u home yet? text me when u get in", "miss said we have to video call for the project",
    "can u send the group photo from the trip", "lets play fortnite after dinner",
]

# Written as the held-out batch after four rounds (65.4% on the original engine, 76.0% after the four
# rounds, 6 of its 20 benign lines strong both times), then used for a fifth round.
BATCH_D: dict[str, list[str]] = {
    "age_identity_probing": [
        "r u a teen or still a kid", "ur like what, year 6?", "mind if i ask how old u r", "how young r u exactly",
        "when did u turn 12", "ur birthday is when again? how old will u be", "so u must be in like 8th grade",
        "ur old enough to have a phone?",
    ],
    "flattery_special_relationship": [
        "ur such a sweetheart honestly", "ive never met a girl as cool as u", "i feel so close to u already",
        "u get me in a way nobody does", "ur honestly stunning", "ur mature for 13 tbh",
        "i love how different u are from other kids", "ur the highlight of my day",
    ],
    "gifts_offers": [
        "i'll get u anything u want from the shop", "wanna some free vbucks", "ill send u a psn card tonight",
        "want me to buy u lunch tmrw", "ive got a roblox premium code for u", "ill get u those airpods u wanted",
        "name a game and ill buy it", "i'll give u 20 robux for every day u talk to me",
    ],
    "secrecy": [
        "dont let ur mum find out ok", "our chats are private right", "u cant tell ur teachers bout me",
        "no telling anyone ok", "delete my number from ur phone after", "if ur dad sees this ur in trouble so hide it",
        "its better if this stays secret", "keep me a secret ok",
    ],
    "isolation_exclusivity": [
        "ur friends dont really like u", "why would u need anyone else", "ur parents dont care what u do",
        "i understand u better than ur family", "cut them off, u dont need them", "ur mates are childish",
        "its just u and me vs everyone", "i'm the only person u can count on",
    ],
    "risk_assessment": [
        "is ur mum at home", "r ur parents around", "anyone with u rn", "are u home by yourself",
        "does ur mum know ur password", "do ur parents check ur snap", "is ur brother in the room",
        "what time do ur parents get back",
    ],
    "platform_move": [
        "whats ur snap?", "add me on insta", "lets talk on whatsapp", "u got telegram",
        "my discord is shadowfox_22", "send me ur phone number", "move to a private chat?", "dm me on tiktok",
    ],
    "photo_camera_request": [
        "send a photo", "can i see a pic of u", "show me a selfie", "lets video chat tonight",
        "turn on ur camera", "send me a pic of u rn", "take a selfie for me", "show me what u look like",
    ],
    "meeting_request": [
        "lets meet up saturday", "wanna hang out in person", "i'll come to ur area", "meet me at the bus stop",
        "can we meet somewhere", "come to my house after school", "i can come get u", "we should meet irl",
    ],
    "guilt_pressure": [
        "u dont even appreciate me", "i thought u cared", "u always let me down", "ur so ungrateful after all i did",
        "just do it already", "dont be like that", "u r hurting me", "why r u being so difficult",
    ],
    "threats_sextortion": [
        "ill tell everyone ur secret", "do it or ill send ur parents the pics", "i'll expose u",
        "u have 24 hours", "ill share our chat with ur school", "ill post ur pics online",
        "everyone will know what u did", "ur gonna be in so much trouble",
    ],
    "body_relationship_steering": [
        "do u have a boyfriend", "have u kissed a boy", "would u date me", "r u seeing anyone",
        "ur so sexy", "do u like older men", "whats ur bra size", "ever had a gf?",
    ],
    "location_probing": [
        "where do u live exactly", "whats ur address", "what school do u go to", "where r u right now",
        "what street r u on", "what city are u in", "ur house near the high street?", "send me ur postcode",
    ],
}

BENIGN_D: list[str] = [
    "dont tell anyone but i passed my driving theory!!", "shh its a secret santa, dont say who u got",
    "send me a pic of the recipe pls", "whats ur number? mum wants to sort the lift",
    "meet at the school gates at 8 for the trip", "ur dad says u can stay at ours friday",
    "want my old bike? i dont use it anymore", "can u send me the photos from sports day",
    "grandma wants a picture of u in ur new uniform", "are ur parents coming to the concert",
    "i'll buy the popcorn if u get the tickets", "dont be late for practice",
    "what time do u finish school tmrw, mum can pick u up", "ur so kind thank u",
    "text me when ur home safe", "i got u a birthday present, hope u like it",
    "lets swap numbers so we can do the project", "is ur mum home? she left her keys at ours",
    "dont tell dad i used his charger lol", "wanna facetime and do the maths together",
]

# Written as the held-out batch after five rounds (72.5% on the original engine, 83.5% after the five
# rounds, 1 of its 20 benign lines strong), then used for a sixth round.
BATCH_E: dict[str, list[str]] = {
    "age_identity_probing": [
        "ok but seriously whats ur age", "u in year 10 or 11?", "how old r u, ur pics look young",
        "can i ask ur age or is that rude", "r u even allowed on here at ur age", "how old did u say u were again",
        "wait so ur only 13??",
    ],
    "flattery_special_relationship": [
        "ur cuter than any girl at my work", "i could talk to u for hours", "ur so much more fun than people my age",
        "ur literally my favourite person", "u have such a beautiful soul", "ur too good for the boys at ur school",
        "i feel like ive known u my whole life",
    ],
    "gifts_offers": [
        "u need more robux? say the word", "ill send u a steam code rn", "want a fiver for ur phone credit",
        "i can buy u that hoodie u like", "pick any skin ill pay", "i'll get u a new headset for christmas",
        "theres a gift card waiting for u if u want it",
    ],
    "secrecy": [
        "dont tell ur sister about me", "lets keep us a secret for now", "nobody can know we talk ok",
        "delete the chat before ur mum sees", "its our little secret yeah", "promise u wont tell ur friends",
        "if they ask, say u were at a mates",
    ],
    "isolation_exclusivity": [
        "ur parents wouldnt understand u like i do", "u dont need ur friends, they're toxic",
        "i'm the only one who gets u", "ur family never listens to u", "forget ur friends, talk to me",
        "ur better off without them honestly", "only talk to me from now on",
    ],
    "risk_assessment": [
        "are ur parents home rn", "r u alone?", "who's with u right now", "does ur mum check ur phone",
        "when does ur mum finish work", "is anyone in ur room", "do ur parents know ur talking to me",
    ],
    "platform_move": [
        "add me on snap its easier", "what's ur insta", "got whatsapp?", "text me on this number instead",
        "lets go to discord", "u have kik? add me", "lets talk somewhere more private",
    ],
    "photo_camera_request": [
        "send me a pic of u", "can i see ur face", "facetime me", "can u send a selfie rn",
        "show me ur outfit today", "take a pic of urself for me", "turn ur cam on pls",
    ],
    "meeting_request": [
        "we should meet up", "wanna meet this weekend", "i can pick u up after school",
        "come meet me at the park", "lets hang out irl", "i'll come see u", "when can we meet up",
    ],
    "guilt_pressure": [
        "u owe me after everything", "if u cared about me u would", "ur being so selfish rn",
        "i've done so much for u", "dont be a baby", "u said u would do it", "ur really upsetting me",
    ],
    "threats_sextortion": [
        "ill send ur pics to everyone", "do it or ur parents find out", "ill post the screenshots",
        "nobody will ever believe u", "i know where u go to school", "ill make ur life hell",
        "u'll be sorry if u tell",
    ],
    "body_relationship_steering": [
        "got a boyfriend?", "ever kissed anyone?", "u seeing anyone?", "what r u wearing",
        "would u date an older guy", "age is just a number", "has ur body changed much",
    ],
    "location_probing": [
        "where do u live", "which school r u at", "whats ur postcode", "where abouts do u live",
        "send ur location", "what area r u in", "how far do u live from the town centre",
    ],
}

BENIGN_E: list[str] = [
    "dont tell anyone the twist pls", "keep it secret, its dad's surprise", "send me a pic of the worksheet",
    "whats ur number for the netball team chat", "practice is at the park saturday 10am",
    "mum says ur welcome for tea", "wanna swap game cards at lunch", "my nan wants to facetime u",
    "coach says well done today", "can u send me the notes", "ill give u ur pen back tmrw",
    "are u coming to the party", "happy birthday!! i got u something", "the teacher wants us to video call for the group work",
    "what time does the bus come", "ur so good at maths", "lets play roblox later",
    "is ur mum picking us up", "dont tell mum i ate the last biscuit", "send me the photo of the class from the trip",
]

# The held-out batch: written last, after all six rounds of tuning, and never tuned on. Its catch rate is
# the honest estimate for wording nobody here has seen (numbers in docs/conversation.md).
BATCH_F: dict[str, list[str]] = {
    "age_identity_probing": [
        "btw how old r u", "u seem young, r u in high school", "so what age r we talking", "r u 14 yet",
        "which grade r u in rn", "tell me ur age and i'll tell u mine", "u must be what, 12?",
    ],
    "flattery_special_relationship": [
        "ur honestly the coolest person ive met online", "ur eyes r so pretty", "i feel like u really understand me",
        "ur not like other people ur age at all", "ur really special u know that", "u always make me smile",
        "ive never connected with anyone like this",
    ],
    "gifts_offers": [
        "ill buy u whatever u want", "want some robux?", "ill send u a gift card tonight", "i can get u free skins",
        "do u want money for the cinema", "ill top up ur phone", "i bought u something, just need ur address",
    ],
    "secrecy": [
        "dont tell ur parents about me", "keep this between us ok", "delete our messages", "its our secret",
        "no one needs to find out", "ur mum cant know about this", "dont tell anyone we talk",
    ],
    "isolation_exclusivity": [
        "ur friends dont get u like i do", "u dont need them", "ur parents r too strict with u",
        "i'm the only one u can trust", "they dont care about u like i do", "ur better off with just me",
        "forget them, ur with me now",
    ],
    "risk_assessment": [
        "r ur parents home", "are u by urself", "is anyone home with u", "does ur mum look at ur phone",
        "what time do ur parents sleep", "r u alone in ur room", "is ur dad at work",
    ],
    "platform_move": [
        "do u have snapchat", "add me on whatsapp", "whats ur number", "lets talk on telegram",
        "follow me on insta", "we can chat on discord", "message me on kik",
    ],
    "photo_camera_request": [
        "send me a selfie", "can i have a pic", "lets facetime", "show me ur face pls", "turn ur camera on",
        "send a pic of what ur wearing", "video call me",
    ],
    "meeting_request": [
        "lets meet up", "wanna hang out this weekend", "i'll pick u up from school", "meet me after school",
        "we should meet in person", "come to my place", "can we meet tomorrow",
    ],
    "guilt_pressure": [
        "u owe me", "after all i did for u", "if u loved me u would", "ur so selfish", "dont be shy",
        "i thought u trusted me", "everyone does it",
    ],
    "threats_sextortion": [
        "ill send the pics to ur parents", "do it or else", "ill post everything online",
        "no one will believe u", "i know where u live", "ill tell everyone what u did", "u'll regret this",
    ],
    "body_relationship_steering": [
        "do u have a bf", "have u ever kissed someone", "r u single", "what r u wearing rn",
        "do u like older guys", "age is only a number", "would u go out with me",
    ],
    "location_probing": [
        "where do u live", "what school do u go to", "what's ur address", "where r u from",
        "send me ur location", "what part of town r u in", "which city do u live in",
    ],
}

BENIGN_F: list[str] = [
    "dont tell anyone the score, im watching it later", "keep it secret, its a surprise for mrs khan",
    "send me a pic of the map for geography", "whats ur number so i can add u to the class chat",
    "meet at the field at 4 for training", "my mum says u can sleep over", "wanna trade stickers",
    "grandpa says hi", "well done on the test!", "can u send me the notes from english",
    "ill give u back ur book on friday", "are u going to the disco", "i got u a present for ur bday",
    "we have to video call for the science project", "what time is the match", "ur so good at football",
    "lets play minecraft tonight", "is ur mum driving us", "dont tell dad i broke the lamp",
    "send me the photos from the party",
]

BENIGN_A: list[str] = [
    "don't tell anyone the ending of the film!!", "shh dont tell dad about the surprise party saturday",
    "send me a pic of the homework pls i forgot it", "can u send me ur notes from chemistry",
    "whats ur number again? my phone reset", "practice moved to 6, meet at the pitch",
    "mum says ur nan is coming for sunday lunch", "can i have ur old fortnite skin lol jk",
    "wanna trade my shiny charizard for ur mewtwo", "coach said bring ur boots tomorrow",
    "hey its uncle dave, tell ur mum ill be there at 4", "happy bday!! got u a little something 🎁",
    "did u finish the history essay", "ur so good at football honestly",
    "can we video call for the group project tonight", "my dad is picking us up from cinema at 9",
    "lol ur so annoying", "wanna play minecraft after school",
    "sir said the trip money is due friday", "we're going to the park after school if u wanna come",
    "i'll give u ur charger back tomorrow", "what time does the match start",
    "keep the present a secret from mum ok its her birthday", "are u coming to my party",
]


# Batch G: written during the validation-set work (see docs/conversation.md), measured once before tuning:
# 86.8% caught (79/91) and 2 of 20 benign lines strong, on both the engine before that work and the one
# at the time; its misses then guided general phrase families.
BATCH_G: dict[str, list[str]] = {
    "age_identity_probing": [
        "quick q, what age are u", "u sound young, like 12?", "r u in secondary yet", "hold on how old even r u",
        "u still at primary school?", "which year group r u", "born 2012 or 2013?",
    ],
    "flattery_special_relationship": [
        "ur honestly the most mature person i talk to", "u get me in a way no one else does",
        "ngl u could be a model with that face", "ur smarter than people twice ur age",
        "talking to u is the best part of my day", "ur so pretty it's unreal", "we just click u know",
    ],
    "gifts_offers": [
        "want me to top up ur account", "i'll sort u a new headset, dont worry about it",
        "pick any skin u like and its urs", "ill send u a 20 quid voucher tonight",
        "need anything for the game? my treat", "i can buy u that phone u wanted", "fancy some free gems",
    ],
    "secrecy": [
        "this stays with us ok", "ur parents dont ever need to hear about me", "wipe our chat before bed",
        "say nothing to ur friends about this", "our little secret yeah", "if ur mum asks, im a girl from school",
        "no telling anyone, promise?",
    ],
    "isolation_exclusivity": [
        "ur friends are holding u back tbh", "ur family dont get u at all", "i'm all u need",
        "forget them, u have me", "they dont deserve u, only i appreciate u", "ur mates are so fake to u",
        "u dont need anybody else",
    ],
    "risk_assessment": [
        "anyone around u right now?", "r ur parents out", "u by urself tonight?", "does ur mum check ur phone",
        "when does everyone go to bed at urs", "is ur door locked, can anyone walk in", "who else is home",
    ],
    "platform_move": [
        "ur on snap right?", "lets switch to whatsapp", "drop ur insta", "text me, heres my number 07700 900555",
        "download telegram so we can talk properly", "message me privately", "add my other account",
    ],
    "photo_camera_request": [
        "send a quick selfie", "show me what u look like rn", "can we facetime", "put ur cam on",
        "pic of u please", "take a photo for me", "go live for me tonight",
    ],
    "meeting_request": [
        "lets meet up irl", "i could come get u after school", "meet me at the park saturday",
        "wanna hang out for real sometime", "ill wait for u outside ur school", "come see me this weekend",
        "we should finally meet",
    ],
    "guilt_pressure": [
        "after everything i did for u", "if u cared u would", "u owe me this", "dont be like that, i thought u were different",
        "fine ill just go then since u dont care", "i've been so good to u and this is how u act", "u promised",
    ],
    "threats_sextortion": [
        "ill show everyone what u said", "do it or i post ur pics", "i have screenshots, dont test me",
        "ur parents will see everything if u block me", "ill tell ur whole school", "u'll be sorry if u ignore me",
        "i know where u live",
    ],
    "body_relationship_steering": [
        "u got a boyfriend?", "ever kissed anyone?", "do u like older guys", "whats ur type",
        "r u single", "has anyone asked u out", "u ever been on a date",
    ],
    "location_probing": [
        "where u based", "what town r u in", "which school do u go to", "r u near the station",
        "what street do u live on", "how far r u from london", "whats ur postcode",
    ],
}
BENIGN_G: list[str] = [
    "dont tell anyone the answers, its the test tomorrow", "mum says ill pick u up at 5", "send a pic of ur science notes",
    "keep the party quiet from jess its a surprise", "whats ur snap, coach wants us in the group", "ur so good at drawing!",
    "my dad can give u a lift to practice", "wanna trade skins", "i'll pay u back for the ticket", "happy birthday cuz, got u the battle pass",
    "grandma wants a photo of u in ur uniform", "dont tell mum i spilled juice on the sofa", "is ur mum home? i need to drop her keys",
    "lets video call for the project at 7", "we're all meeting at the cinema at 6", "who do u sit next to in maths",
    "add me on discord so we can play with the others", "well done on the match today", "my brother says hi",
    "can u keep a secret? i got into the team!!",
]


def catch_rate(detector: TacticDetector, batch: dict[str, list[str]]) -> tuple[float, list[tuple[str, str]]]:
    misses = [(t, line) for t, lines in batch.items() for line in lines if t not in found(detector, line)]
    total = sum(len(lines) for lines in batch.values())
    return 1 - len(misses) / total, misses


def test_batches_cover_every_tactic():
    assert set(BATCH_A) == set(BATCH_A2) == set(BATCH_B) == set(BATCH_C) == set(BATCH_D) == set(BATCH_E) == set(BATCH_F) == set(BATCH_G) == set(TACTICS)


@pytest.mark.parametrize("name", ["BATCH_A", "BATCH_A2", "BATCH_B", "BATCH_C", "BATCH_D", "BATCH_E", "BATCH_G"])
def test_most_lines_of_the_tuning_batches_are_caught(detector, name):
    rate, misses = catch_rate(detector, globals()[name])
    assert rate >= 0.9, f"{rate:.1%} caught; missed: {misses}"




def test_most_lines_of_the_held_out_batch_are_caught(detector):
    rate, misses = catch_rate(detector, BATCH_F)
    assert rate >= 0.8, f"{rate:.1%} caught; missed: {misses}"


@pytest.mark.parametrize("name", ["BENIGN_A", "BENIGN_B", "BENIGN_C", "BENIGN_D", "BENIGN_E", "BENIGN_F", "BENIGN_G"])
def test_benign_lines_rarely_read_as_a_strong_tactic(detector, name):
    lines = globals()[name]
    strong = [(line, strongest(detector, line)) for line in lines if strongest(detector, line) >= 0.5]
    assert len(strong) <= 1, strong


# Whole benign conversations of the hard kind: an adult relative or coach who games with, gifts to and
# messages a child. Written fresh for this file; the adult's age is known, the child's is stated.
LEVELS = ("none", "low", "medium", "high", "critical")


def peak_level(lines: list[tuple[str, int | None, str]]) -> str:
    from childsafe.conversation import ConversationEngine, Message

    engine = ConversationEngine()
    peak = 0
    for i, (sender, age, text) in enumerate(lines):
        a = engine.observe(Message(conversation_id="c", message_id=f"m{i}", sender=sender,
                                   sent_at=f"2025-05-01T10:{i:02d}:00Z", text=text, sender_age=age))
        peak = max(peak, LEVELS.index(a.level))
    return LEVELS[peak]


BENIGN_CONVERSATIONS_A: dict[str, list[tuple[str, int, str]]] = {
    "uncle_gaming": [
        ("uncle_ravi", 38, "hey kiddo its uncle ravi, ur dad gave me ur gamertag"),
        ("mira", 12, "hiii uncle ravi!!"),
        ("uncle_ravi", 38, "wanna squad up on fortnite tonight?"),
        ("mira", 12, "yesss but i need to ask dad"),
        ("uncle_ravi", 38, "ill buy u the new battle pass for ur birthday"),
        ("mira", 12, "omg thank u"),
        ("uncle_ravi", 38, "add me on discord so we can talk while we play"),
        ("uncle_ravi", 38, "dont tell ur dad i let u stay on past bedtime haha"),
        ("mira", 12, "lol ok"),
        ("uncle_ravi", 38, "say hi to ur nan from me"),
    ],
    "cousin_minecraft": [
        ("cousin_theo", 24, "yo little cuz, auntie said u got minecraft"),
        ("ollie", 10, "yeah!! wanna join my world"),
        ("cousin_theo", 24, "send me ur username and ill add u"),
        ("ollie", 10, "its ollieblox10"),
        ("cousin_theo", 24, "sick, ill get u some minecoins too"),
        ("cousin_theo", 24, "ur so good at building, better than me lol"),
        ("ollie", 10, "haha"),
        ("cousin_theo", 24, "see u at grandmas on sunday"),
    ],
    "aunt_switch_gift": [
        ("aunt_bea", 45, "hello sweetheart, it's auntie bea"),
        ("jess", 13, "hi auntie!"),
        ("aunt_bea", 45, "what do you want for christmas? a new switch game?"),
        ("jess", 13, "the new mario kart pls"),
        ("aunt_bea", 45, "ok i'll get it, keep it a secret from your brother"),
        ("aunt_bea", 45, "send me a photo of your christmas list"),
        ("jess", 13, "ok"),
        ("aunt_bea", 45, "love you lots, see you boxing day"),
    ],
    "mums_brother_xbox": [
        ("mike", 41, "hey buddy, its your mums brother mike"),
        ("leo", 11, "hi"),
        ("mike", 41, "i got you the new fifa, check your xbox"),
        ("mike", 41, "add me on xbox live so we can play online"),
        ("mike", 41, "dont tell your mum i bought it, she thinks you play too much lol"),
        ("leo", 11, "haha ok"),
        ("mike", 41, "are your parents home? want to ask them about the weekend"),
        ("mike", 41, "you are getting so good at this"),
    ],
    "coach_practice": [
        ("coach_dana", 31, "hi all, reminder practice moved to thursday 5pm"),
        ("sam", 14, "ok coach"),
        ("coach_dana", 31, "sam can you send me a photo of the consent form"),
        ("coach_dana", 31, "great work on saturday, you're really improving"),
        ("sam", 14, "thanks!"),
        ("coach_dana", 31, "meet at the club car park at 8, minibus leaves 8:15"),
        ("coach_dana", 31, "bring your boots and water"),
    ],
}


@pytest.mark.parametrize("name", list(BENIGN_CONVERSATIONS_A))
def test_benign_adult_child_conversations_stay_below_medium(name):
    assert peak_level(BENIGN_CONVERSATIONS_A[name]) in ("none", "low")


# Held out: whole conversations written after four rounds of tuning and never tuned on. Grooming ones must reach `medium`,
# benign ones must not.
GROOMING_CONVERSATIONS_D: dict[str, list[tuple[str, int | None, str]]] = {
    "gamer_gifts_to_snap": [
        ("kaizen_88", None, "gg that was a sick clutch"),
        ("pip", 12, "thx lol"),
        ("kaizen_88", None, "ur actually cracked for ur age, how old r u"),
        ("pip", 12, "12"),
        ("kaizen_88", None, "no way ur way better than the adults i play with"),
        ("kaizen_88", None, "want me to get u the new skin? i got loads of vbucks"),
        ("pip", 12, "fr?? yes pls"),
        ("kaizen_88", None, "easier to sort on snap, whats urs"),
        ("kaizen_88", None, "dont mention it to ur parents tho they'll think its weird"),
    ],
    "mentor_photo_meet": [
        ("coach_rob", 34, "saw ur dance vids, ur really talented"),
        ("ella", 13, "thank u!!"),
        ("coach_rob", 34, "i run a studio, i could get u into a showcase"),
        ("coach_rob", 34, "i'd need some pics of u first, nothing fancy"),
        ("ella", 13, "like what"),
        ("coach_rob", 34, "just u in ur room, natural light"),
        ("coach_rob", 34, "keep this between us til its confirmed ok"),
        ("coach_rob", 34, "we could meet at the station saturday to chat about it"),
    ],
}

BENIGN_CONVERSATIONS_D: dict[str, list[tuple[str, int | None, str]]] = {
    "teacher_trip": [
        ("mr_hale", 42, "reminder: trip forms due friday"),
        ("nia", 14, "sir can i send a photo of the signed form"),
        ("mr_hale", 42, "yes send it here, thanks nia"),
        ("mr_hale", 42, "meet at the school gates at 8, coach leaves 8:15"),
        ("nia", 14, "ok"),
    ],
    "teens_swap_and_plan": [
        ("jojo", 14, "whats ur snap again"),
        ("kit", 14, "kit.rocks"),
        ("jojo", 14, "lets meet at the park after school with everyone"),
        ("kit", 14, "dont tell ur mum we're going to the chippy lol"),
        ("jojo", 14, "haha ok"),
    ],
}


@pytest.mark.parametrize("name", list(GROOMING_CONVERSATIONS_D))
def test_held_out_grooming_conversations_reach_medium(name):
    assert peak_level(GROOMING_CONVERSATIONS_D[name]) in ("medium", "high", "critical")


@pytest.mark.parametrize("name", list(BENIGN_CONVERSATIONS_D))
def test_held_out_benign_conversations_stay_below_medium(name):
    assert peak_level(BENIGN_CONVERSATIONS_D[name]) in ("none", "low")
