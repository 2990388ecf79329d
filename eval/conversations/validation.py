"""A validation set written apart from the pools: ``python -m eval.conversations.validation``.

Why: the dev and test splits come from one generator and one set of pools, so a rule tuned on dev can
still fit the pools' habits rather than grooming and friendship in general. These conversations were
written by hand, later and by someone who did not read the pools' hard negatives, in styles the pools do
not use: relatives gifting game items and gaming late, grandparents learning to game, teammates and
classmates swapping numbers for a group chat, parents, teachers, tutors and coaches arranging things,
surprise-party and present secrets, siblings covering for each other ("don't tell mum I broke it"),
teenagers of the same age flirting, long friendly chats; and grooming at several speeds, including slow and
subtle ones, some with evasion spellings. It is the set to tune against *in addition to* dev; the test
split stays held out.

Each script is instantiated three times with different names, games and apps and a different pattern of
declared ages (both sides, the child only, nobody), so the age context does not carry the result. Some
grooming copies get an evasion disguise on the offender's tactic lines and some are stretched with small
talk and gaps of days (slow). The output, ``data/validation.jsonl``, has the same fields as dev/test with
``split = "validation"``; a test checks it is exactly what this module writes.

Rules kept: no sexual content anywhere; grooming is shown only by its tactics (secrecy, flattery, gifts,
isolation, age and location questions, moving apps, asking for a photo or a meeting, pressure, threats to
expose). Names, handles and numbers are made up (UK drama ranges).

Line syntax: ``"role|labels|text"``. Roles: ``o`` offender, ``c`` child, ``a`` benign adult, ``t``/``u``
two young people (peers or siblings). Labels: tactic names on offender lines; ``~tactic`` marks a benign
surface cue (not a tactic).
"""

from __future__ import annotations

import json
import random
from datetime import datetime, timedelta, timezone
from pathlib import Path

from eval.conversations.evasion import TRANSFORMS

DATA = Path(__file__).resolve().parent / "data" / "validation.jsonl"
SEED = "validation-2026-11"

# Short tactic names used in the scripts.
T = {
    "age": "age_identity_probing", "flat": "flattery_special_relationship", "gift": "gifts_offers",
    "sec": "secrecy", "iso": "isolation_exclusivity", "risk": "risk_assessment", "move": "platform_move",
    "photo": "photo_camera_request", "meet": "meeting_request", "guilt": "guilt_pressure",
    "threat": "threats_sextortion", "body": "body_relationship_steering", "loc": "location_probing",
}

SLOTS = {
    "name": ["Kai", "Ruby", "Idris", "Maya", "Theo", "Ava", "Zain", "Poppy", "Finn", "Leila", "Oscar", "Nia"],
    "game": ["Fortnite", "Roblox", "Minecraft", "Rocket League", "Apex", "Brawl Stars", "FIFA", "Valorant"],
    "app": ["Discord", "Snapchat", "WhatsApp", "Instagram"],
    "town": ["Hexley", "Marlow Cross", "Brindle", "Stanwick", "Corran Bay", "Eastholm"],
    "item": ["battle pass", "skin bundle", "season pass", "2000 robux", "vbucks card", "starter pack"],
    "day": ["Saturday", "Sunday", "Friday", "Thursday"],
    "pet": ["Biscuit", "Pepper", "Mochi", "Rolo"],
}
HANDLES = ["starling", "quietfox", "pixelpine", "moonjar", "rustbolt", "tidepool", "embermoth", "cloudvan",
           "hollyoak", "glimmer", "northwind", "pebbledash", "sundial", "inkwell", "mapleleaf", "copperkey"]

# -------------------------------------------------------------------------------------------------------
# Benign conversations (hard negatives). ages: role -> (lo, hi) years when declared.
BENIGN: list[dict] = [
    {"category": "val_benign_aunt_gaming_gift", "ages": {"a": (31, 44), "c": (11, 14)}, "lines": [
        "a||happy birthday sweetheart!! 🎂 auntie loves you",
        "c||thank you auntie!!",
        "a|~gift|I put a {item} on your account, your mum gave me the login",
        "c||OMG thank youuu",
        "a||your cousin says you two play {game} together now?",
        "c||yeah every day after school",
        "a|~move|he said you should add him on {app}, his name is the same as on the game",
        "c||ok ill add him",
        "a|~sec|don't tell your brother I got you the big one, his birthday is next month and I'm skint 😂",
        "c||haha ok i wont",
        "a||are you coming to grandma's on sunday?",
        "c||mum said yes",
        "a|~photo|send me a photo of you and your cake for grandma, she's not on whatsapp",
        "c||ok",
        "a||love you, see you sunday x",
    ]},
    {"category": "val_benign_uncle_late_gaming", "ages": {"a": (26, 38), "c": (12, 15)}, "lines": [
        "a||oi nephew, you on tonight?",
        "c||yeah after tea",
        "a||sick. got the new maps?",
        "c||no my mum wont buy it",
        "a|~gift|I'll chuck you some money for it, call it an early christmas present",
        "c||really?? thanks",
        "a||get on the party chat at 7",
        "c||ok",
        "a||gg that was class, one more?",
        "c||its half 10 lol mum will kill me",
        "a|~sec|ha keep it down then, we'll say I kept you on, my fault not yours",
        "c||lol ok last one",
        "a||right bed. say night to your mum from me",
        "c||night",
        "a||tell your dad I've still got his drill btw",
    ]},
    {"category": "val_benign_grandad_gaming", "ages": {"a": (63, 75), "c": (9, 13)}, "lines": [
        "a||Hello it is Grandad. Your mother set this up for me.",
        "c||hi grandad!!",
        "a||How do I find you on this {game} thing",
        "c||whats your username",
        "a||I don't know. It says {handle}",
        "c||ok i sent a request",
        "a||Got it. You will have to show me how to play on Saturday.",
        "c||ok come early",
        "a|~gift|I will put some money in your card for the game. Don't spend it all on hats.",
        "c||thank you grandad",
        "a|~photo|Can you send me a picture of the castle you built, I want to show Nan",
        "c||ok",
        "a||Lovely. Very clever. Bed now, school tomorrow.",
    ]},
    {"category": "val_benign_big_brother_cover", "ages": {"t": (18, 20), "c": (12, 14)}, "lines": [
        "t||u home?",
        "c||yeah why",
        "t|~risk|is mum back yet",
        "c||no shes at work till 8",
        "t|~sec|ok dont tell her i took the car earlier i'll explain it myself",
        "c||what did u do lol",
        "t||nothing bad just scraped the mirror a bit",
        "c||shes going to notice",
        "t||i know i know. i'll tell her tonight. just dont say anything first",
        "c||fine. can u get me chips",
        "t|~meet|yeah i'll grab u on the way back, be outside at 6",
        "c||ok",
    ]},
    {"category": "val_benign_sibling_broke_it", "ages": {"t": (13, 16), "u": (10, 13)}, "lines": [
        "u||help",
        "t||what",
        "u||i knocked the speaker off the shelf and the corner cracked",
        "t||mums speaker??",
        "u||yes",
        "t|~sec|ok dont panic. dont tell her yet, i'll look up if we can fix it",
        "u||she's gonna see",
        "t|~photo|send me a pic of the crack",
        "u||[photo]",
        "t||thats just the case, its fine. tell her tonight, she'll be ok",
        "u||will u be there when i tell her",
        "t||yeah",
    ]},
    {"category": "val_benign_surprise_party_dad", "ages": {"a": (38, 50), "c": (10, 15)}, "lines": [
        "a||Are you free to help with something secret?",
        "c||yes what",
        "a|~sec|Dad's 50th is on the 14th. Don't say a word to him, it's a surprise",
        "c||omg ok",
        "a|~sec|Delete these when you've read them, he borrows your tablet",
        "c||ok",
        "a|~risk|When is he out on Saturday? I need to get the balloons in",
        "c||he goes to football at 2",
        "a||Perfect. Your job is to keep him away till 5",
        "c||easy",
    ]},
    {"category": "val_benign_teammates_numbers", "ages": {"t": (13, 15), "u": (13, 15)}, "lines": [
        "t||yo it's {name} from under 14s",
        "u||oh hey",
        "t|~move|coach said to get everyones number for the new group chat, whats yours",
        "u||07700 900418",
        "t||added u",
        "u||who else is in it",
        "t||the whole squad plus the two new lads",
        "u||sound",
        "t|~meet|we're meeting at the clubhouse 9am sat, dads doing lifts",
        "u||can i get a lift too",
        "t||yeah i'll ask him",
        "t||he said yes be at ours 8:30",
    ]},
    {"category": "val_benign_classmates_swap", "ages": {"t": (12, 14), "u": (12, 14)}, "lines": [
        "t||did u get what she said about the poster",
        "u||no i was in the toilet",
        "t||we have to do it in pairs, i'm with u",
        "u||yesss",
        "t|~move|whats ur snap we can do it on there",
        "u||{handle}_{n}",
        "t|~loc|where do u live again? my mum can drop me at yours",
        "u||{town}, by the big tesco",
        "t||ok thursday after school?",
        "u||yeah my mum will be in",
        "t|~photo|send me a pic of the sheet she gave out i lost mine",
        "u||[photo]",
    ]},
    {"category": "val_benign_teen_flirt", "ages": {"t": (14, 16), "u": (14, 16)}, "lines": [
        "t||hey it's {name}, from science",
        "u||oh hiii",
        "t||ngl i've wanted to message u for ages",
        "u||aww why didnt u",
        "t||nervous lol",
        "t|~flat|ur really pretty btw",
        "u||stoppp 🙈 ur cute too",
        "t|~meet|do u wanna go cinema on {day}? the new marvel one",
        "u||yeah ok!! with who",
        "t||just us? or we can bring ellie and josh",
        "u||just us is fine",
        "t|~sec|dont tell anyone yet tho, everyone in our year is so nosy",
        "u||haha deal",
        "t|~move|add me on snap its easier",
        "u||ok",
    ]},
    {"category": "val_benign_same_age_new_friends", "ages": {"t": (12, 14), "u": (12, 14)}, "lines": [
        "t||gg ur actually cracked at this",
        "u||lol thanks u too",
        "t|~age|how old r u",
        "u||13 u?",
        "t||same! what year",
        "u||year 8",
        "t|~loc|where u from",
        "u||{town}",
        "t||no way my cousin lives there",
        "t|~move|add me on {app} so we can duo",
        "u||sure whats ur tag",
        "t||{handle}{n}",
        "u||sent",
        "t||u on tomorrow?",
        "u||after school yeah",
    ]},
    {"category": "val_benign_parent_errands", "ages": {"a": (35, 52), "c": (11, 15)}, "lines": [
        "a||Running late, traffic on the ring road",
        "c||ok",
        "a|~risk|Are you home on your own or is your brother there?",
        "c||hes upstairs",
        "a||Ok. Put the oven on 180 please",
        "c||done",
        "a|~photo|Can you send me a photo of the letter from school, the one about the trip",
        "c||[photo]",
        "a|~sec|Thanks. Don't tell your sister about the tickets, I want to give them to her at the weekend",
        "c||i wont",
        "a||Home in 20. Love you",
        "c||love u",
    ]},
    {"category": "val_benign_stepdad_pickup", "ages": {"a": (33, 48), "c": (11, 15)}, "lines": [
        "a||Hi mate, it's Dave. Your mum's phone died so she asked me to text",
        "c||ok",
        "a|~meet|I'll pick you up from the school gate at 4, not the front, the side by the field",
        "c||ok can liam come back to ours",
        "a||Ask his mum first and text me",
        "c||she said yes",
        "a||Great. Chippy tea tonight",
        "c||yesss",
        "a|~sec|Also, your mum's birthday present came. Keep it quiet, it's hidden in the garage",
        "c||whats she getting",
        "a||You'll see 😂",
    ]},
    {"category": "val_benign_coach_logistics", "ages": {"a": (28, 55), "c": (11, 16)}, "lines": [
        "a||Hi all, Coach Mel here. Reminder for the tournament",
        "a|~meet|Meet at Hexley leisure centre car park 8am Saturday. Parents please drop off by the main doors",
        "c||will there be food",
        "a||Bring a packed lunch and plenty of water",
        "a|~photo|The club photographer will take team photos. If you don't have consent on the form, tell me and you'll sit out of those",
        "c||my mum signed it",
        "a|~flat|Brilliant. You've been playing really well this month, keep it up",
        "c||thanks coach",
        "a|~move|If you're not on the team WhatsApp yet ask your parents to message me their number",
        "c||ok",
    ]},
    {"category": "val_benign_tutor_online", "ages": {"a": (22, 60), "c": (10, 15)}, "lines": [
        "a||Hi {name}, it's Mr Okafor for maths. Ready for 5pm?",
        "c||yes",
        "a|~photo|Can you turn your camera on so I can see your working on the whiteboard",
        "c||ok",
        "a||Great. Question 4 first, show me how you got the bracket",
        "c||i multiplied both",
        "a|~flat|Exactly right. You're really getting good at this",
        "a|~photo|Before next week take a picture of page 32 when you've done it and send it to your mum to forward",
        "c||ok",
        "a||See you Tuesday. Say thanks to your dad for the payment",
    ]},
    {"category": "val_benign_teacher_trip", "ages": {"a": (25, 60), "c": (11, 15)}, "lines": [
        "a||Year 9 trip update from Ms Harlow",
        "a|~meet|Coach leaves 7:45 sharp from the school gates, back around 6",
        "c||do we need money",
        "a||Up to £10 for the gift shop, no more please",
        "a|~photo|Photos from the day will go on the school page for students whose parents said yes",
        "c||what if we get lost",
        "a|~move|Each group has a teacher's mobile number on the sheet. Don't give it out online",
        "c||ok",
        "a||Bring a coat, it's meant to rain",
    ]},
    {"category": "val_benign_secret_santa", "ages": {"t": (11, 16), "u": (11, 16)}, "lines": [
        "t||who did u get for secret santa",
        "u||not telling 😂",
        "t||go onnnn",
        "u|~sec|its a secret!! dont tell anyone who u got either",
        "t||i got mr patel 💀",
        "u||NO",
        "t|~gift|what do i even buy a teacher, is 5 pounds enough",
        "u||get him a mug",
        "t||deal",
    ]},
    {"category": "val_benign_cousins_trading", "ages": {"t": (12, 15), "u": (11, 14)}, "lines": [
        "t||cuz u still got that rare pet",
        "u||yeah",
        "t|~gift|ill trade u my two legendaries for it",
        "u||no way its worth more",
        "t||three then",
        "u||fine",
        "t|~move|join my server its on {app}",
        "u||whats the link",
        "t||sent. dont tell auntie i was on past 9 lol",
        "u||haha",
        "t||see u at nans sunday",
    ]},
    {"category": "val_benign_best_friends_sleepover", "ages": {"t": (12, 15), "u": (12, 15)}, "lines": [
        "t||my mum said yes to the sleepover!!",
        "u||YESSS",
        "t|~risk|are ur parents ok with it",
        "u||my dad said fine if ur mum texts him",
        "t||ill tell her",
        "t|~meet|come round at 6, my brother will walk u from the bus stop",
        "u||ok",
        "t|~sec|dont tell megan tho she'll be upset she's not invited",
        "u||i wont",
        "t||bring ur switch",
        "u||obvs",
    ]},
    {"category": "val_benign_long_friendly_chat", "ages": {"t": (13, 16), "u": (13, 16)}, "lines": [
        "t||did u watch the match",
        "u||yeah robbed",
        "t||that ref was blind",
        "u||fr",
        "t||u doing the history thing",
        "u||barely started",
        "t||same lol",
        "u||wanna do it together in the library tmrw",
        "t||yeah lunch?",
        "u||ok",
        "t||whats ur new number btw ur old one doesnt work",
        "u||07700 900782",
        "t||saved",
        "u||did u hear about the fire drill",
        "t||no what",
        "u||someone set it off in year 7 block",
        "t||lmaooo",
        "u|~flat|ur so funny in class today btw",
        "t||thanks haha",
        "u|~sec|dont tell anyone but i think i failed the french test",
        "t||u didnt",
        "u||we'll see",
        "t||my mum is making me go to my nans later",
        "u||unlucky",
        "t||she's alright she gives me money lol",
        "u||lucky",
        "t||ttyl",
    ]},
    {"category": "val_benign_godmother_card", "ages": {"a": (30, 50), "c": (8, 13)}, "lines": [
        "a||Happy birthday from your godmother Jess! 🎉",
        "c||thank you!!",
        "a|~gift|I've sent a gift card to your mum's email for you, buy whatever you like",
        "c||yay",
        "a|~photo|Send me a selfie with the cake so I can see how big you're getting!",
        "c||[photo]",
        "a|~flat|You look so grown up! Give mummy a hug from me",
        "c||ok",
    ]},
    {"category": "val_benign_music_teacher", "ages": {"a": (30, 65), "c": (9, 14)}, "lines": [
        "a||Hi {name}, your piano exam is on the 3rd",
        "c||im nervous",
        "a|~flat|You're ready. You have a real gift for this, honestly",
        "a|~photo|Could you record yourself playing the second piece and send it? I'll give you notes",
        "c||ok",
        "a|~meet|Extra lesson Thursday at the school music room 4pm, I've told your mum",
        "c||ok thanks",
    ]},
    {"category": "val_benign_older_cousin_advice", "ages": {"a": (19, 24), "c": (13, 16)}, "lines": [
        "a||hey little cuz how's year 10",
        "c||stressful",
        "a||mocks?",
        "c||yeah",
        "a|~sec|between us I failed my first maths mock and still got a 7 in the real one, don't stress",
        "c||really?",
        "a||yeah. you want my old revision notes",
        "c||yes pls",
        "a|~loc|I'll drop them round, you still at the same house?",
        "c||yeah",
        "a||sorted. tell your mum I said hi",
    ]},
    {"category": "val_benign_neighbour_dog", "ages": {"a": (40, 70), "c": (11, 15)}, "lines": [
        "a||Hi it's Sue from number 12. Your mum said you might walk Pepper while we're away?",
        "c||yes!",
        "a|~gift|I'll pay you £5 a walk",
        "c||ok",
        "a|~sec|The key is under the blue pot. Don't tell anyone where it is",
        "c||i wont",
        "a|~photo|Send me a photo of her in the park so I know she's happy!",
        "c||[photo]",
        "a||Thank you, you're a star. I'll settle up with your mum",
    ]},
    {"category": "val_benign_gamer_squad", "ages": {}, "lines": [
        "t||anyone on tonight",
        "u||me",
        "t||need a third",
        "u||add {name}",
        "t|~age|wait how old is he, my mum only lets me play with people from school",
        "u||hes in our year",
        "t||ok",
        "t|~move|make a {app} group for us three",
        "u||done",
        "t|~gift|ill gift u the skin if we win",
        "u||bet",
        "t||gg",
    ]},
    {"category": "val_benign_grandma_video", "ages": {"a": (60, 80), "c": (7, 12)}, "lines": [
        "a||Hello darling, Nana here",
        "c||hi nana",
        "a|~photo|Can we do a video call tonight? Your mum says 6 is best",
        "c||ok",
        "a|~gift|I have sent some pocket money for your school trip",
        "c||thanks nana love u",
        "a||Love you more. Is your mum there? Put her on",
    ]},
]

# -------------------------------------------------------------------------------------------------------
# Grooming conversations. speed: how the tactics are spread; "slow" copies get small talk and day gaps.
GROOMING: list[dict] = [
    {"category": "val_grooming_gamer_slow", "ages": {"o": (24, 41), "c": (11, 14)}, "speed": "slow", "lines": [
        "o||gg that last round was mad",
        "c||ikr",
        "o||ur good for a newbie",
        "c||thanks",
        "o|age|how old r u anyway",
        "c||12",
        "o||cool cool",
        "o|gift|u want the {item}? i got a spare code",
        "c||wait really",
        "o|gift|yeah ill send it tonight, no catch",
        "c||thanks so much",
        "o|flat|ur way more chill than the other kids on here",
        "o|move|add me on {app} its easier than this chat",
        "c||ok",
        "o|sec|dont mention the code to ur parents they might think its weird lol",
        "o|risk|do ur parents check ur phone much",
        "c||not really",
        "o|photo|send me a pic so i know who im gaming with",
    ]},
    {"category": "val_grooming_fake_teen", "ages": {"c": (12, 14)}, "speed": "medium", "lines": [
        "o||heyy saw u in the {game} lobby",
        "c||hi",
        "o|age|what age r u",
        "c||13",
        "o||no way im 14, same age basically",
        "o|loc|where abouts do u live",
        "c||{town}",
        "o|flat|ur honestly so easy to talk to, feels like ive known u forever",
        "o|sec|lets keep our chats to ourselves yeah? people get weird",
        "c||ok",
        "o|move|my {app} is {handle}{n}, talk there",
        "o|photo|what do u look like? send one",
        "o|meet|we should meet at the shopping centre one day, just us",
    ]},
    {"category": "val_grooming_photographer", "ages": {"o": (27, 45), "c": (13, 15)}, "speed": "medium", "lines": [
        "o||Hi, I run a small agency and your posts caught my eye",
        "c||oh thanks",
        "o|flat|You have a natural look, brands would love you",
        "o|age|Can I ask your age? We do teen campaigns",
        "c||14",
        "o|photo|Could you send a few natural photos, no makeup, just you at home",
        "c||my mum would need to know",
        "o|sec|We usually keep it quiet until the contract is ready, parents tend to panic over nothing",
        "o|gift|There's £300 for the first shoot",
        "o|move|Message me on WhatsApp, this app cuts messages off",
        "o|meet|I could pick you up for a test shoot after school, it's only an hour",
    ]},
    {"category": "val_grooming_fast_stranger", "ages": {"o": (30, 50), "c": (12, 15)}, "speed": "fast", "lines": [
        "o||hey",
        "o|age|asl?",
        "c||13 f {town}",
        "o|flat|cute. ur very mature for 13",
        "o|risk|r u alone rn",
        "c||yeah",
        "o|sec|good. this stays between us ok",
        "o|move|got snap?",
        "o|photo|send me a selfie first",
    ]},
    {"category": "val_grooming_emotional_slow", "ages": {"c": (13, 15)}, "speed": "slow", "lines": [
        "o||hey u seemed sad in ur last post",
        "c||just a bad week",
        "o||want to talk about it? im a good listener",
        "c||my parents keep arguing",
        "o|flat|that sucks. ur really strong for dealing with that",
        "c||thanks",
        "o|iso|honestly it sounds like they dont even notice how u feel",
        "c||they dont",
        "o|flat|i get u more than they do i think",
        "o|iso|ur friends dont sound like they care much either tbh",
        "c||maybe",
        "o|iso|u can always talk to me, im the only one who really listens to u",
        "o|sec|maybe dont tell them about me, theyd just make it about them",
        "o|meet|i wish i could give u a hug irl. we should meet up sometime",
        "o|guilt|after all our chats u still dont trust me?",
    ]},
    {"category": "val_grooming_coach_private", "ages": {"o": (26, 48), "c": (11, 14)}, "speed": "medium", "lines": [
        "o||Hi {name}, I saw you at the trials, you've got real potential",
        "c||thank you",
        "o|flat|Honestly you're the most talented player I've seen this year",
        "o|meet|I could give you some one to one sessions at the park, free",
        "c||i'd have to ask my dad",
        "o|sec|Let's not involve parents yet, they'll want to make it a whole thing",
        "o|risk|What time does your dad get home from work?",
        "o|move|Text me on my personal number instead of the club app",
        "o|meet|Come on your own, it works better one to one",
    ]},
    {"category": "val_grooming_gift_address", "ages": {"o": (22, 39)}, "speed": "medium", "lines": [
        "o||yo ur the one with the cool builds",
        "c||haha yeah",
        "o|gift|i wanna send u a headset as a thank u for helping me",
        "c||rly?",
        "o|loc|whats ur address ill post it",
        "c||idk",
        "o|sec|dont tell ur mum, she'll ask where its from and ruin it",
        "o|age|how old are u btw",
        "c||11",
        "o|flat|ur so smart for 11 honestly",
        "o|sec|delete this chat after ok",
    ]},
    {"category": "val_grooming_threat", "ages": {"o": (20, 35), "c": (13, 15)}, "speed": "fast", "lines": [
        "o|flat|ur gorgeous u know that",
        "o|move|lets go on telegram",
        "c||why",
        "o|photo|send me a picture in ur school uniform",
        "c||no",
        "o|threat|if u dont ill send our chats to everyone at ur school",
        "o|threat|i know which school u go to and ill tell ur parents everything",
        "c||please dont",
        "o|guilt|then do what i ask, u owe me after all the stuff i got u",
    ]},
    {"category": "val_grooming_subtle_mentor", "ages": {"o": (35, 55), "c": (14, 16)}, "speed": "slow", "lines": [
        "o||loved your short story on the writing site",
        "c||oh wow thank you",
        "o|flat|you write like someone much older, really",
        "c||thats nice",
        "o||I've been writing for 20 years. happy to give feedback",
        "c||yes please",
        "o|flat|you're not like the other young writers, you actually listen",
        "o|move|email is easier for long notes, what's yours?",
        "o|risk|do your parents read what you write online?",
        "c||no they dont care about it",
        "o|iso|that's a shame. some people just don't understand creative people like us",
        "o|sec|let's keep the feedback between us, it's more honest that way",
        "o|meet|there's a workshop near you next month, I could drive you",
    ]},
    {"category": "val_grooming_evasive_leet", "ages": {"c": (12, 15)}, "speed": "fast", "transform": "mixed",
     "lines": [
        "o||hiii",
        "o|age|how old are you",
        "c||14",
        "o|flat|you are so pretty in your profile picture",
        "o|sec|keep this secret from your parents ok",
        "o|move|add me on snapchat",
        "o|risk|are you home alone",
        "o|photo|send me a pic now",
        "o|meet|lets meet up this weekend",
    ]},
    {"category": "val_grooming_family_friend", "ages": {"o": (30, 50), "c": (12, 14)}, "speed": "medium", "lines": [
        "o||hi {name}, it's Rob, I know your dad from work",
        "c||oh hi",
        "o|flat|he talks about you all the time, says you're really clever",
        "o|gift|I've got a spare phone if you want it, much better than yours",
        "c||really?",
        "o|sec|don't tell your dad though, he'd feel bad he can't get you one",
        "o|risk|when are you home by yourself?",
        "c||tuesdays",
        "o|meet|I'll drop it round tuesday then",
        "o|sec|just between us ok",
    ]},
    {"category": "val_grooming_peer_pressure_slow", "ages": {}, "speed": "slow", "lines": [
        "o||hey ur in the {game} discord right",
        "c||yeah",
        "o||ur builds are sick",
        "c||ty",
        "o|age|how old r u",
        "c||13",
        "o||im 15",
        "o|flat|ngl ur cute",
        "o|body|do u have a bf",
        "c||no",
        "o|sec|dont tell ur friends we talk, they'd be jealous",
        "o|photo|send a pic of u",
        "c||maybe later",
        "o|guilt|why r u being so cold, i thought u liked me",
        "o|photo|just one pic, its not a big deal",
    ]},
    {"category": "val_grooming_spaced_emoji", "ages": {"o": (25, 45)}, "speed": "medium", "transform": "emoji",
     "lines": [
        "o||hey",
        "c||hi",
        "o|age|what school year are you in",
        "c||year 7",
        "o|gift|want a gift card for the game",
        "o|sec|it is our secret ok",
        "o|move|message me on snapchat",
        "o|photo|send me a photo",
        "o|loc|where do you live",
    ]},
    {"category": "val_grooming_gradual_meeting", "ages": {"o": (19, 30), "c": (14, 15)}, "speed": "slow", "lines": [
        "o||hey from the fan page",
        "c||hey",
        "o||who's your fave member",
        "c||jin obviously",
        "o||good answer",
        "o|loc|what area are you in? I'm near {town}",
        "c||not far from there",
        "o|flat|you're honestly my favourite person to talk to on here",
        "o|age|wait what year are you in",
        "c||year 10",
        "o|move|move to insta dms this app is glitchy",
        "o|sec|my gf would be jealous so keep this low key",
        "o|meet|the concert is next month, I could take you, my treat",
        "o|gift|I'll get the tickets",
        "o|sec|just say you're going with a friend from school",
    ]},
    {"category": "val_grooming_abbreviations", "ages": {"c": (11, 13)}, "speed": "fast", "transform": "abbreviations",
     "lines": [
        "o||hey you",
        "o|age|how old are you",
        "c||12",
        "o|risk|are your parents home",
        "o|sec|don't tell your parents about me ok",
        "o|move|what is your number",
        "o|photo|send me a picture please",
    ]},
    {"category": "val_grooming_misspelt", "ages": {"o": (28, 45), "c": (12, 14)}, "speed": "medium",
     "transform": "misspellings", "lines": [
        "o||hello there",
        "c||hi",
        "o|flat|you seem really special",
        "o|age|how old are you",
        "c||13",
        "o|gift|i can send you money for robux",
        "o|sec|keep it a secret from your parents",
        "o|move|add me on whatsapp",
        "o|photo|send me a selfie",
    ]},
]

# -------------------------------------------------------------------------------------------------------
# Batch B: written after the first round of fixes and measured once before any further change (its
# first numbers are the held-out ones, see docs/conversation.md).
BENIGN_B: list[dict] = [
    {"category": "valb_benign_cousin_discord", "ages": {"a": (20, 29), "c": (12, 14)}, "lines": [
        "a||yo its jordan, ur mum gave me ur number",
        "c||oh hey",
        "a||u still playing {game}?",
        "c||ye every day",
        "a|~move|get on discord so we can squad up, my tag is {handle}{n}",
        "c||ok added",
        "a|~gift|I'll get u the {item} if we win 5 tonight",
        "c||deal",
        "a||gg cuz 🔥",
        "a|~sec|dont tell ur mum we played till midnight lol she'll have a go at me",
        "c||haha ok",
        "a||see u at christmas",
    ]},
    {"category": "valb_benign_uncle_new_console", "ages": {"a": (30, 45), "c": (10, 13)}, "lines": [
        "a||Did the parcel come?",
        "c||YES thank u so much",
        "a|~gift|Happy birthday mate. There's a code in the box for the game too",
        "c||its so good",
        "a|~photo|send us a pic of you playing it, your auntie wants to see",
        "c||[photo]",
        "a|~meet|We'll come over on Saturday and you can show me",
        "c||ok!!",
        "a|~sec|Don't tell your dad how much it was 😂",
    ]},
    {"category": "valb_benign_teen_couple_same_age", "ages": {"t": (15, 16), "u": (15, 16)}, "lines": [
        "t||morning 🥰",
        "u||morning babe",
        "t|~flat|u looked so good yesterday",
        "u||shush 🙈 u did",
        "t|~meet|park after school? just us",
        "u||yeah but i have to be home by 6",
        "t|~risk|are ur parents in later",
        "u||yeah my mum is, u can come for tea if u want",
        "t||ok 😊",
        "t|~photo|send me a selfie i miss ur face",
        "u||[photo] now u",
        "t||[photo]",
    ]},
    {"category": "valb_benign_club_leader_trip", "ages": {"a": (25, 55), "c": (11, 15)}, "lines": [
        "a||Scouts: camping this weekend!",
        "c||what do i bring",
        "a||Sleeping bag, torch, warm clothes. Kit list is on the parents' email",
        "a|~meet|Meet at the hut 9am Saturday, pick up 4pm Sunday",
        "a|~photo|We'll post photos on the group page, only of those with photo consent",
        "c||can i bring sweets",
        "a||A few 😄",
        "a|~move|If you need me over the weekend your parents have my number",
    ]},
    {"category": "valb_benign_sister_secret_crush", "ages": {"t": (14, 17), "u": (12, 15)}, "lines": [
        "u||can i tell u something",
        "t||ofc",
        "u|~sec|promise u wont tell mum",
        "t||promise, whats up",
        "u||i like someone in my class",
        "t||AWW who",
        "u||not saying",
        "t||fine lol. just be yourself",
        "u|~sec|dont tell anyone pls",
        "t||i wont, pinky promise",
    ]},
    {"category": "valb_benign_dad_working_away", "ages": {"a": (35, 55), "c": (9, 14)}, "lines": [
        "a||Hi sweetheart, Dad here. Hotel wifi finally works",
        "c||hi daddy",
        "a|~photo|Can we video call before bed? I miss you",
        "c||yes at 7",
        "a|~risk|Is mum home yet?",
        "c||she's cooking",
        "a|~gift|I got you something from the airport, you'll see on Friday",
        "c||what is it",
        "a|~sec|It's a secret 😉 don't tell your brother either, his is a surprise too",
        "c||ok love you",
        "a||Love you more",
    ]},
    {"category": "valb_benign_gamers_unknown_ages", "ages": {}, "lines": [
        "t||yo that clutch was insane",
        "u||haha thanks ur aim is crazy too",
        "t|~age|how old r u btw",
        "u||14 hbu",
        "t||15",
        "t|~loc|where u from",
        "u||near {town}",
        "t||no way im like 20 mins away",
        "t|~move|add me on {app}",
        "u||ok whats ur @",
        "t||{handle}{n}",
        "u|~gift|ill gift u a skin for carrying me lol",
        "t||no need bro",
    ]},
    {"category": "valb_benign_pe_teacher_kit", "ages": {"a": (25, 55), "c": (11, 14)}, "lines": [
        "a||Hi {name}, you left your PE bag in the changing rooms",
        "c||oh no",
        "a|~meet|It's in my office, come and get it at break",
        "c||ok thanks sir",
        "a|~flat|Great effort in the cross country by the way, you came 4th",
        "c||really??",
        "a||Really. Well done",
    ]},
    {"category": "valb_benign_nan_phone_help", "ages": {"a": (65, 82), "c": (11, 16)}, "lines": [
        "a||is this how you send a message",
        "c||yes nan 😂",
        "a|~move|your mum says I should get whatsapp so we can all talk",
        "c||ill set it up when u come",
        "a|~risk|are you on your own after school tomorrow? I can come round and you can show me",
        "c||mum's home at 4 come then",
        "a|~gift|I'll bring cake. and a little something for helping",
        "c||yay",
    ]},
    {"category": "valb_benign_friends_birthday_plan", "ages": {"t": (12, 15), "u": (12, 15)}, "lines": [
        "t||its ellas bday next week",
        "u||omg we need to do something",
        "t|~sec|surprise? dont let her see this chat",
        "u||yes!!",
        "t|~gift|lets all put 5 quid in for a present",
        "u||ok ill ask the others",
        "t|~meet|meet at mine friday to make a banner, my mum said fine",
        "u||yesss",
    ]},
    {"category": "valb_benign_older_bro_lift", "ages": {"t": (19, 22), "c": (13, 15)}, "lines": [
        "t||where r u",
        "c||still at the party",
        "t|~meet|i'll pick u up at 10 outside the chippy",
        "c||can u make it 10:30",
        "t||no mum said 10",
        "t|~sec|and dont tell her i was late last week or i'm dead",
        "c||lol ok",
        "t||see u in a bit",
    ]},
    {"category": "valb_benign_long_gaming_friends", "ages": {"t": (12, 14), "u": (12, 14)}, "lines": [
        "t||on?", "u||5 mins", "t||k", "u||on now", "t||inv sent", "u||gg", "t||again?", "u||ye",
        "t|~flat|ur actually so good at building", "u||thanks man", "t||my mum says i gotta do homework",
        "u||same lol", "t||after tho?", "u||yeah 8", "t|~move|whats ur discord so we can call",
        "u||{handle}{n}", "t||added", "u||cool", "t||see u at school", "u||ye",
    ]},
]

GROOMING_B: list[dict] = [
    {"category": "valb_grooming_slow_helper", "ages": {"c": (12, 14)}, "speed": "slow", "lines": [
        "o||need help with that level? i finished it yesterday",
        "c||yes pls",
        "o||go left at the bridge then jump twice",
        "c||omg it worked",
        "o|flat|ur a quick learner, better than most people i play with",
        "o|age|what year are u in",
        "c||year 8",
        "o|gift|i can get u the premium pass if u want, i have loads of credit",
        "c||really?",
        "o|move|whats ur snap, easier to send codes there",
        "o|sec|keep it to urself tho, dont want everyone asking me for stuff",
        "o|risk|r ur parents strict about ur phone",
        "o|photo|send me a pic so i know ur real",
    ]},
    {"category": "valb_grooming_older_boyfriend", "ages": {"o": (19, 26), "c": (13, 15)}, "speed": "medium", "lines": [
        "o||hey gorgeous",
        "c||who is this",
        "o||we matched in the game chat remember",
        "o|flat|ur way more mature than girls my age honestly",
        "o|body|u got a bf?",
        "c||no",
        "o|iso|good, lads ur age are immature anyway",
        "o|sec|ur parents wouldnt understand us so keep it quiet",
        "o|meet|i can drive to urs, we can go for a drive, just me and u",
        "o|photo|send me a pic of what ur wearing",
    ]},
    {"category": "valb_grooming_sudden_pressure", "ages": {"o": (25, 40)}, "speed": "fast", "lines": [
        "o|age|hi how old are u",
        "c||12",
        "o|risk|is anyone with u rn",
        "c||no",
        "o|photo|turn on ur camera",
        "c||why",
        "o|guilt|come on dont be boring, i thought we were friends",
        "o|threat|if u block me ill find u",
    ]},
    {"category": "valb_grooming_subtle_isolation", "ages": {"o": (28, 45), "c": (13, 15)}, "speed": "slow", "lines": [
        "o||how was school today",
        "c||bad, people were mean again",
        "o|iso|they sound horrible, you deserve better friends than that",
        "c||i guess",
        "o|flat|you're kind and clever, they're just jealous",
        "o|iso|honestly you can talk to me instead of them",
        "c||thanks",
        "o|iso|your mum sounds like she never listens either",
        "o|sec|let's keep our chats private so nobody twists them",
        "o|move|there's an app we can use that deletes messages",
        "o|meet|maybe one day we could meet and I'll cheer you up",
    ]},
    {"category": "valb_grooming_leet_gifts", "ages": {"c": (11, 13)}, "speed": "medium", "transform": "leetspeak",
     "lines": [
        "o||hi there",
        "o|gift|i will send you robux if you want",
        "c||yes please",
        "o|age|how old are you",
        "c||11",
        "o|sec|this is our secret ok",
        "o|loc|what school do you go to",
        "o|photo|send me a photo of you",
    ]},
    {"category": "valb_grooming_fake_scout_unknown", "ages": {}, "speed": "medium", "lines": [
        "o||Hi! I'm casting for a new kids clothing brand",
        "o|flat|You have exactly the look we want",
        "o|age|How old are you? We need 12-15",
        "c||13",
        "o|photo|Great, send a full length photo and a close up",
        "o|sec|Don't mention it to anyone yet, the brand is confidential",
        "o|move|Let's continue on WhatsApp, what's your number",
        "o|meet|The shoot is in {town}, I can collect you from school",
    ]},
]

# Batch C: written last, after every change to the engine, and measured once (held out).
BENIGN_C: list[dict] = [
    {"category": "valc_benign_family_group_chat", "ages": {"a": (38, 55), "t": (17, 19), "c": (11, 14)}, "lines": [
        "a||Family meeting: Nana's 80th is on the 12th!!",
        "t||omg",
        "c||can we do a cake",
        "a|~sec|Yes but shhh, not a word to Nana, it's a surprise",
        "t|~gift|i'll chip in for the present",
        "c|~photo|can we make a photo book, send me old pics",
        "a||Great idea. I'll dig some out",
        "t|~meet|i can pick the cake up on the saturday",
        "a||Perfect. Love you both x",
    ]},
    {"category": "valc_benign_coach_parent_in_chat", "ages": {"a": (30, 50), "c": (12, 15)}, "lines": [
        "a||Hi {name} (and Mrs Patel, thanks for adding me to this chat)",
        "c||hi coach",
        "a|~flat|Just wanted to say you were outstanding on Saturday, a real leader out there",
        "c||thank u!!",
        "a|~meet|County trials are on the 20th, I'll send your mum the details and the address",
        "a|~photo|They need a passport photo for the registration form, your mum can email it",
        "c||ok",
        "a||Well done again",
    ]},
    {"category": "valc_benign_twins_birthday", "ages": {"t": (12, 14), "u": (12, 14)}, "lines": [
        "t||what r we getting dad",
        "u||idk socks lol",
        "t|~sec|no!! something good. dont tell him we're planning anything",
        "u||obviously",
        "t|~gift|ill put in my birthday money if u do",
        "u||ok 10 each",
        "t|~risk|when is he out so we can go to the shops",
        "u||saturday morning hes at golf",
        "t||sorted",
    ]},
    {"category": "valc_benign_online_friend_same_age", "ages": {"t": (13, 14), "u": (13, 14)}, "lines": [
        "t||ur the one who drew that dragon on the art server?",
        "u||yeah!",
        "t|~flat|its amazing, ur so talented",
        "u||omg thanks ur comics are sick too",
        "t|~age|how old r u? im 13",
        "u||13 too!",
        "t|~move|wanna collab? add me on discord",
        "u||yess",
        "t|~meet|if u ever come to the comic con in {town} we should meet there, my mum takes me every year",
        "u||my mum would def come too lol",
    ]},
    {"category": "valc_benign_babysitter", "ages": {"a": (16, 17), "c": (8, 11)}, "lines": [
        "a||hi its Chloe, i'm babysitting tonight!",
        "c||yay",
        "a|~risk|your mum said she'll be back at 11, is she leaving at 7?",
        "c||yes",
        "a|~gift|i'm bringing popcorn and a film",
        "a|~sec|don't tell your mum but you can stay up till 9:30 if you're good 😉",
        "c||yesss",
    ]},
    {"category": "valc_benign_grandpa_gaming_gift", "ages": {"a": (60, 75), "c": (10, 13)}, "lines": [
        "a||Grandpa here. I've joined your game!",
        "c||no way",
        "a||I don't know what I'm doing. Am I the one in the hat?",
        "c||haha yes",
        "a|~gift|I bought you the dinosaur pack, your mum said you wanted it",
        "c||THANK YOU",
        "a|~move|Shall we talk on the voice chat thing so you can teach me",
        "c||ok",
        "a|~sec|Don't tell your sister I'm rubbish at this 😂",
    ]},
    {"category": "valc_benign_classmate_homework_call", "ages": {"t": (14, 16), "u": (14, 16)}, "lines": [
        "t||did u get q5",
        "u||no its impossible",
        "t|~photo|facetime? we can do it together",
        "u||ok 5 mins",
        "t|~photo|send me a pic of ur working after",
        "u||[photo]",
        "t||ur method is way easier",
        "u|~sec|dont tell anyone i copied ur q3 lol",
        "t||haha fine",
    ]},
    {"category": "valc_benign_aunt_visit", "ages": {"a": (30, 50), "c": (9, 13)}, "lines": [
        "a||Hi love, it's Auntie Jo",
        "c||hi!!",
        "a|~meet|We're coming to stay next weekend, I'll pick you up from school on Friday with your cousins",
        "c||YAY",
        "a|~gift|I've got a little present for you",
        "a|~risk|Is your mum home? I need to ask her about the sofa bed",
        "c||shes at work till 6",
        "a||No worries, I'll call her later x",
    ]},
]

GROOMING_C: list[dict] = [
    {"category": "valc_grooming_big_brother_figure", "ages": {"o": (23, 35), "c": (12, 14)}, "speed": "slow", "lines": [
        "o||yo little man, good game",
        "c||thanks",
        "o||u remind me of me at ur age",
        "o|flat|ur honestly wise for ur age",
        "o|age|what year u in at school",
        "c||year 8",
        "o|gift|need a new controller? mine's spare, ill post it",
        "o|loc|where do u live so i can send it",
        "o|sec|keep it between us yeah, ur mum might think its weird",
        "o|iso|ur mates sound like they dont have ur back anyway",
        "o|meet|ill bring it round myself actually, meet me at the park",
    ]},
    {"category": "valc_grooming_emoji_heavy", "ages": {"c": (12, 14)}, "speed": "fast", "transform": "emoji",
     "lines": [
        "o||hey",
        "o|flat|you are so special",
        "o|gift|want money for the game",
        "o|sec|this is our secret",
        "o|photo|send a photo",
        "o|move|add my snapchat",
        "o|meet|meet me at the park",
    ]},
    {"category": "valc_grooming_sextortion_threat", "ages": {"o": (18, 30)}, "speed": "medium", "lines": [
        "o||hey remember me from the game",
        "o|flat|ur really cute",
        "o|move|lets go on snap",
        "o|photo|send me a pic of ur face",
        "c||why",
        "o|guilt|u said we were friends, dont be rude",
        "o|threat|i saved all our chats, want ur parents to see them?",
        "o|threat|do what i say or everyone at ur school gets them",
    ]},
    {"category": "valc_grooming_slow_no_ages", "ages": {}, "speed": "slow", "lines": [
        "o||that speedrun was crazy",
        "c||thx",
        "o||how long did it take u to learn",
        "c||ages lol",
        "o|flat|ur better than most adults i play with",
        "o|age|how old r u anyway",
        "c||12",
        "o|risk|do ur parents let u play this late",
        "o|sec|dont tell them we chat or theyll take ur xbox",
        "o|move|add me on discord, my dms are open",
        "o|photo|send a selfie so i know its really u",
    ]},
]

# Batch D: written after the fixes from batch C and measured once (held out).
BENIGN_D: list[dict] = [
    {"category": "vald_benign_stepmum_shopping", "ages": {"a": (30, 48), "c": (12, 15)}, "lines": [
        "a||Hey, it's Kim. Dad said you need new school shoes?",
        "c||yeah mine have a hole",
        "a|~meet|I'll take you into town Saturday morning, we can get lunch too",
        "c||ok thanks",
        "a|~gift|My treat, don't worry about it",
        "a|~sec|Don't tell your dad about the milkshake, he thinks I spoil you 😂",
        "c||haha ok",
        "a|~photo|Send me a photo of the ones you like online so I can check the size",
    ]},
    {"category": "vald_benign_teen_gaming_gift_exchange", "ages": {"t": (13, 15), "u": (13, 15)}, "lines": [
        "t||bro i got the new season pass",
        "u||jealous",
        "t|~gift|i got a spare code from my bday, want it?",
        "u||for real??",
        "t||yeah i dont need 2",
        "u|~gift|ill give u my rare emote then",
        "t||deal",
        "t|~move|send me ur gamertag",
        "u||{handle}{n}",
    ]},
    {"category": "vald_benign_school_counsellor", "ages": {"a": (30, 60), "c": (12, 16)}, "lines": [
        "a||Hi {name}, it's Ms Reyes from student support",
        "c||hi",
        "a||Just checking in after our chat on Monday. How are things?",
        "c||a bit better",
        "a|~flat|I'm really proud of you for speaking up, that took courage",
        "a|~meet|Pop into my office on Thursday at lunch if you want to talk more",
        "a|~sec|Everything we talk about stays private unless I'm worried about your safety, remember",
        "c||ok thank you",
    ]},
    {"category": "vald_benign_cousins_sleepover", "ages": {"t": (12, 15), "u": (11, 14)}, "lines": [
        "t||are u coming to ours at half term",
        "u||mum said yes!!",
        "t||yesss we can build the fort again",
        "t|~sec|dont tell auntie we stayed up till 2 last time lol",
        "u||she knows 💀",
        "t|~gift|ill save u the top bunk",
        "u||love u cuz",
    ]},
    {"category": "vald_benign_dance_teacher", "ages": {"a": (25, 50), "c": (9, 13)}, "lines": [
        "a||Hi dancers! Show is in 2 weeks",
        "a|~photo|Please practise at home and ask a parent to film it, send it to me by Friday",
        "c||can i send it myself",
        "a||Yes, or your mum can, either is fine",
        "a|~flat|You've all worked so hard, I'm so proud",
        "a|~meet|Dress rehearsal Sunday 10am at the theatre, parents welcome",
    ]},
    {"category": "vald_benign_brother_broke_console", "ages": {"t": (14, 17), "u": (10, 13)}, "lines": [
        "u||dont be mad",
        "t||what did u do",
        "u||i dropped ur controller and the stick broke",
        "t||bro",
        "u|~sec|pls dont tell dad",
        "t||ill tell him it was me, he wont care as much",
        "u||thank u",
        "t|~gift|u owe me a new one tho lol",
    ]},
    {"category": "vald_benign_new_school_buddy", "ages": {"t": (11, 12), "u": (11, 12)}, "lines": [
        "t||hi im {name}, the teacher said to message u",
        "u||hi! ur the new girl?",
        "t||yeah",
        "u|~loc|where did u move from",
        "t||{town}",
        "u|~meet|u can sit with us at lunch tomorrow",
        "t||thank u!!",
        "u|~move|whats ur number, ill add u to our group chat",
        "t||07700 900337",
    ]},
    {"category": "vald_benign_grandma_pocket_money", "ages": {"a": (65, 85), "c": (8, 12)}, "lines": [
        "a||Hello pet it is Grandma",
        "c||hi grandma",
        "a|~gift|I have put some pocket money in the post for you",
        "a|~sec|Don't tell your brother how much, he will want the same ha ha",
        "c||ok thank you",
        "a|~photo|Send me a picture of your drawing",
        "a||Sleep well my darling",
    ]},
]

GROOMING_D: list[dict] = [
    {"category": "vald_grooming_gaming_mentor", "ages": {"o": (25, 40), "c": (11, 13)}, "speed": "medium", "lines": [
        "o||saw ur stream, u have real skill",
        "o|flat|honestly better than most pros i know",
        "o|gift|i can get u sponsored, free gear and that",
        "c||wait really",
        "o|age|how old r u tho, sponsors ask",
        "c||12",
        "o|sec|dont tell ur parents yet, they might ruin it",
        "o|move|lets talk on discord, add me",
        "o|photo|turn ur cam on so i can see ur setup",
    ]},
    {"category": "vald_grooming_slow_pen_pal", "ages": {"c": (13, 15)}, "speed": "slow", "lines": [
        "o||hey, we both love the same band",
        "c||omg yes",
        "o||who's ur fave",
        "c||the drummer",
        "o|flat|same!! u have such good taste",
        "o|loc|where do u live? maybe they'll tour near u",
        "c||near {town}",
        "o|flat|i feel like i can tell u anything",
        "o|iso|ur the only one who gets me, my friends are so boring",
        "o|sec|lets not tell anyone about our chats, its nicer just us",
        "o|meet|if they play {town} we should go together",
    ]},
    {"category": "vald_grooming_fast_adult_declared", "ages": {"o": (35, 55), "c": (12, 14)}, "speed": "fast", "lines": [
        "o||hi sweetie",
        "o|flat|you look so grown up in your picture",
        "o|risk|are your parents around?",
        "o|move|do you have whatsapp",
        "o|gift|i can send you a gift card",
        "o|sec|but you have to keep it secret",
    ]},
    {"category": "vald_grooming_misspelt_slow", "ages": {"o": (22, 40)}, "speed": "slow", "transform": "misspellings",
     "lines": [
        "o||hey whats up",
        "c||not much",
        "o|age|how old are you",
        "c||13",
        "o|flat|you are really mature",
        "o|gift|i can buy you robux",
        "o|sec|dont tell your parents",
        "o|move|add me on snapchat",
        "o|meet|we should meet up",
    ]},
]

# Small talk that stretches slow conversations (neither side uses a tactic).
SMALL_TALK = [
    ("o", "lol"), ("c", "haha"), ("o", "what u up to"), ("c", "homework"), ("o", "boring"), ("c", "ikr"),
    ("o", "u watch anything good lately"), ("c", "some anime"), ("o", "nice which one"), ("c", "cant remember the name"),
    ("o", "same tbh"), ("c", "gtg dinner"), ("o", "ok ttyl"), ("c", "back"), ("o", "wb"), ("c", "so tired"),
    ("o", "rough day?"), ("c", "kinda"), ("o", "music?"), ("c", "mostly kpop"),
]


def _fill(text: str, rng: random.Random) -> str:
    for key, values in SLOTS.items():
        text = text.replace("{" + key + "}", rng.choice(values))
    text = text.replace("{handle}", rng.choice(HANDLES)).replace("{n}", str(rng.randrange(10, 99)))
    return text


def _parse(line: str) -> tuple[str, list[str], list[str], str]:
    role, labels, text = line.split("|", 2)
    tactics = [T[x] for x in labels.split(",") if x and not x.startswith("~")]
    cues = [T[x[1:]] for x in labels.split(",") if x.startswith("~")]
    return role, tactics, cues, text


ROLE_NAMES = {"o": "offender", "c": "child", "a": "adult", "t": "teen", "u": "teen"}


def build() -> list[dict]:
    rows: list[dict] = []
    start = datetime(2026, 3, 2, tzinfo=timezone.utc)
    number = 0
    for label, scripts in (("benign", BENIGN), ("grooming", GROOMING), ("benign", BENIGN_B), ("grooming", GROOMING_B),
                            ("benign", BENIGN_C), ("grooming", GROOMING_C),
                            ("benign", BENIGN_D), ("grooming", GROOMING_D)):
        for script in scripts:
            for variant in range(3):
                number += 1
                rng = random.Random(f"{SEED}-{script['category']}-{variant}")
                cid = f"val-{number:04d}"
                lines = [_parse(x) for x in script["lines"]]
                if label == "grooming" and script.get("speed") == "slow":
                    stretched = []
                    for ln in lines:
                        stretched.append(ln)
                        for _ in range(rng.randint(1, 3)):
                            role, text = rng.choice(SMALL_TALK)
                            stretched.append((role, [], [], text))
                    lines = stretched
                transform = script.get("transform")
                if transform is None and label == "grooming" and variant == 2:
                    transform = rng.choice(["misspellings", "abbreviations", "leetspeak", "spaced"])
                # declared ages: variant 0 both sides, 1 the young side only, 2 nobody
                declared = {}
                for role, (lo, hi) in script["ages"].items():
                    young = hi < 18
                    if variant == 0 or (variant == 1 and young):
                        declared[role] = rng.randint(lo, hi)
                senders = {role: rng.choice(HANDLES) + str(rng.randrange(100, 999)) for role in ROLE_NAMES}
                if senders["t"] == senders["u"]:
                    senders["u"] += "x"
                t = start + timedelta(days=rng.randrange(0, 200), hours=rng.randrange(7, 21))
                for k, (role, tactics, cues, text) in enumerate(lines, 1):
                    if script.get("speed") == "slow" and k > 1 and rng.random() < 0.1:
                        t += timedelta(days=rng.randint(1, 4), minutes=rng.randrange(600))
                    else:
                        t += timedelta(seconds=rng.randint(5, 300))
                    text = _fill(text, rng)
                    if transform and tactics:
                        text = TRANSFORMS[transform](text, rng)
                    row = {"conversation_id": cid, "message_id": f"{cid}-m{k:03d}", "sender": senders[role],
                           "sent_at": t.strftime("%Y-%m-%dT%H:%M:%SZ"), "text": text}
                    if role in declared:
                        row["sender_age"] = declared[role]
                    row["sender_role"] = ROLE_NAMES[role]
                    row["tactics"] = tactics
                    if cues:
                        row["cues"] = cues
                    row.update({"label": label, "category": script["category"], "split": "validation"})
                    rows.append(row)
    return rows


def main() -> None:
    rows = build()
    DATA.parent.mkdir(parents=True, exist_ok=True)
    with DATA.open("w", encoding="utf-8") as fh:
        for row in rows:
            fh.write(json.dumps(row, ensure_ascii=False) + "\n")
    n = len({r["conversation_id"] for r in rows})
    print(f"{DATA}: {n} conversations, {len(rows)} messages")


if __name__ == "__main__":
    main()
