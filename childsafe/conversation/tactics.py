"""The grooming tactics childsafe recognises, and the phrasings that reveal them.

The taxonomy and its grounding in the research (O'Connell's stages, Olson's luring communication theory,
Lorenzo-Dus et al.) are described in docs/grooming-tactics.md. Patterns are written against the plain text
the normaliser produces: lower case, single spaces, contractions expanded ("do not", "you are", "i am"),
chat abbreviations spelled out ("picture", "right now"), "?" and "." kept as tokens. Each pattern carries
the confidence that a match is the tactic; hard negatives (a surprise party, "don't tell mum I broke the
vase", a photo of the homework) lower it. Patterns describe what an offender asks for, never explicit content.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

# O'Connell (2003) stages, in the order grooming usually moves through them; used to reward progression.
STAGES: dict[str, int] = {
    "flattery_special_relationship": 1,
    "age_identity_probing": 1,
    "gifts_offers": 1,
    "location_probing": 2,
    "body_relationship_steering": 2,
    "risk_assessment": 3,
    "secrecy": 3,
    "isolation_exclusivity": 4,
    "platform_move": 4,
    "guilt_pressure": 4,
    "photo_camera_request": 5,
    "meeting_request": 5,
    "threats_sextortion": 6,
}

TACTICS: tuple[str, ...] = tuple(STAGES)

# Building blocks, substituted into patterns as {NAME}.
MACROS: dict[str, str] = {
    "G1": r"(?:[^ ]+ )?",
    "G2": r"(?:[^ ]+ ){0,2}",
    "G3": r"(?:[^ ]+ ){0,3}",
    "G4": r"(?:[^ ]+ ){0,4}",
    "G6": r"(?:[^ ]+ ){0,6}",
    "YOU_ARE": r"(?:are you|you are|your|you)",
    "ADV": r"(?:(?:honestly|literally|actually|truly|just|really|so|seriously|definitely|totally|kinda|very|super|way|always|still|usually|normally|even) )*",
    "I_WILL": r"(?:i will|i can|i could|i would|i am going to|i am gonna|let me|i wanna|i want to|i may|i might|i shall|i d)",
    "PARENT": r"(?:parents?|mum|mom|mummy|mommy|mother|dad|daddy|father|folks|family|guardians?|carers?|"
              r"step ?(?:mum|mom|dad)|grandparents?|nan|gran|grandma|granny|grandpa|grandad|brothers?|sisters?|"
              r"siblings?|foster (?:mum|mom|dad|parents?)|aunt|auntie|uncle|mums|moms|dads)",
    "PEOPLE": r"(?:anyone|anybody|any one|no one|nobody|someone|everyone|people|friends?|best friend|"
              r"teachers?|school|counsell?or|police|adults?|grown ups?|them|the others|others|"
              r"your {PARENT}|your friends?|your teachers?|{PARENT})",
    "PLATFORM": r"(?:snapchat|snap chat|snap|whatsapp|whats app|instagram|telegram|kik|discord|signal|wickr|"
                r"skype|facetime|tiktok|tik tok|messenger|viber|wechat|imessage|line app|omegle|kick|"
                r"threema|session app|google chat|hangouts|my number|direct messages?|"
                r"private messages?|private chat|private|dms?|another app|other app|a different app|"
                r"different app|somewhere else|somewhere more private|elsewhere)",
    "CONTACT": r"(?:number|phone number|mobile number|cell number|contact number|snapchat|snap|whatsapp|"
               r"instagram|insta|telegram|kik|discord|skype|tiktok|signal|wickr|mobile|viber|wechat|line|"
               r"username|user name|handle|email|email address|socials|"
               r"contact details)",
    "PHOTO": r"(?:pictures?|photos?|photographs?|selfies?|images?|(?<!your )snaps?|videos?|clips?|pics?|shots|"
             r"profile picture|face picture|test shots|headshots)",
    "CAMERA": r"(?:camera|video call|video chat|facetime|live stream|stream|live|video|skype call|zoom call)",
    "GIFT": r"(?:robux|vbucks|v bucks|skins?|gift cards?|gift|gifts|money|cash|credits|coins|gems|diamonds|"
            r"battle ?pass|nitro|game pass|premium|membership|subscription|iphone|phone|airpods|headphones|"
            r"new phone|presents?|something nice|something special|anything you want|whatever you want|"
            r"treats?|clothes|makeup|shoes|trainers|sneakers|a ps5|an xbox|console|amazon card|steam card|"
            r"itunes card|google play card|paypal|venmo|cash app|top up|credit|points|minecoins|packs?|products|bundle|"
            r"battle pass|season pass|account|boots|gear|tickets?|trial|contract|modelling|cards?|fiver|tenner|hoodie|jumper|jacket|headset|controller|nails|"
            r"crates?|loot|items?|codes?|pounds|dollars|bucks|quid|euros|vouchers?|\d+ ?(?:pounds|dollars|bucks|quid|euros))",
    "SECRET": r"(?:secret|secrets|private|between us|between (?:you and me|me and you|us two)|to yourself|"
              r"on the down low|on the dl|quiet|hush hush|confidential)",
    "ABOUT_US": r"(?:about (?:me|us|this|our (?:chats?|talks?|messages|conversations?|friendship|relationship|secret)|"
                r"what we (?:talk|talked|say|said|do|did)|talking to me|the (?:chat|messages|pictures|gift|money))|"
                r"(?:that|what) we (?:talk|talked|chat|chatted|speak|are talking|are friends|met|text)|"
                r"we are (?:talking|friends|chatting|texting)|you (?:talk|talked|are talking|chat|know|met) (?:to |with )?me|"
                r"i (?:sent|gave|bought|told|showed) you)",
}

_MACRO_RE = re.compile(r"\{([A-Z_0-9]+)\}")


def _expand(pattern: str) -> str:
    for _ in range(3):
        pattern = _MACRO_RE.sub(lambda m: MACROS[m.group(1)], pattern)
    return pattern


# Each tactic: (confidence, regex) pairs. Regexes are matched with word boundaries added around them.
_P: dict[str, list[tuple[float, str]]] = {
    "age_identity_probing": [
        (0.5, r"(?:born (?:in )?)?(?:19|20)\d\d or (?:19|20)?\d\d(?: \?|$)|born (?:in )?(?:19|20)\d\d \?"),
        (0.5, r"how (?:[aeiu]ld|o[a-z]?d|ol+d|oold|odl) (?:are|r|is) (?:you|u|ya)"),
        (0.6, r"how old {YOU_ARE}(?: you)?"),
        (0.6, r"how old (?:is|are) you"),
        (0.55, r"age sex location"),
        (0.55, r"(?:what is|what s|tell me|and|so) your age"),
        (0.5, r"your age \?"),
        (0.55, r"what age {YOU_ARE}"),
        (0.55, r"(?:what|which) (?:grade|year|class|form) {YOU_ARE}(?: you)? (?:in|at)"),
        (0.5, r"{YOU_ARE} (?:you )?{ADV}in (?:middle|high|primary|secondary|elementary|junior|grade) ?(?:school)?"),
        (0.55, r"{YOU_ARE} (?:you )?{ADV}in (?:year|grade|form|class) \d{1,2}"),
        (0.5, r"(?:do|are) you (?:still )?(?:go|going|in) (?:to )?(?:school|middle school|high school|college|uni)"),
        (0.45, r"{YOU_ARE} (?:you )?(?:a )?(?:boy or (?:a )?girl|girl or (?:a )?boy|guy or (?:a )?girl|m or f|f or m)"),
        (0.55, r"{YOU_ARE} (?:you )?(?:over|under|older than|younger than|at least) \d+"),
        (0.55, r"{YOU_ARE} (?:you )?(?:even |still |really )?(?:a )?(?:teen|teenager|kid|minor|child|young|little)(?: still| yet| even)?(?: \?|$| lol| though| right)"),
        (0.6, r"{YOU_ARE} (?:you )?(?:really|actually|only|just) \d{1,2}"),
        (0.5, r"when is your birthday|(?:what is|whats|tell me) your (?:date of birth|dob|birth date|birthday)"),
        (0.45, r"what year were you born"),
        (0.5, r"(?:you|u) (?:do not|dont) (?:look|seem|sound|act) \d{1,2}"),
        (0.45, r"is that your real age"),
        (0.55, r"(?:which|what) year (?:are you in|at school)"),
        (0.45, r"{YOU_ARE} (?:you )?\d{1,2} or \d{1,2}"),
        (0.4, r"how young"),
        (0.35, r"(?:is|are) (?:this|that) (?:really )?(?:you|your (?:picture|photo|profile))"),
        (0.55, r"(?:what|which) (?:year|year group|grade|form|class) {YOU_ARE}(?: you)?(?: in| at)?"),
        (0.55, r"{YOU_ARE} (?:you )?(?:like |about |around |maybe )?\d{1,2} or \d{1,2}"),
        (0.55, r"(?:you are|are you) what \d{1,2}|\d{1,2} \? \d{1,2} \?"),
        (0.5, r"(?:^|\. |\? )age \?"),
        (0.5, r"(?:wait |so |oh )?(?:you are|your|are you) (?:only |like |really |actually )?\d{1,2} \?"),
        (0.45, r"i am \d{1,2} (?:too )?(?:and |what about |how about )?you \?"),
        (0.5, r"how old(?: \?| \.|$| will you| do you| would you)"),
        (0.45, r"(?:about you|tell me|yourself) {G3}age"),
        (0.45, r"(?:what|which) (?:age|year) (?:group )?(?:are you|is your)"),
        (0.5, r"(?:we are|we re|were) (?:basically |about |kind of |pretty much |probably |like )?(?:the )?same age"),
        (0.55, r"(?:what|how old) {YOU_ARE} (?:now |like |about |even )?\d{1,2}"),
        (0.55, r"{YOU_ARE} (?:you )?not (?:\d{1,2}|an adult|a grown up|old enough) yet"),
        (0.5, r"how old (?:did you say|were you|was it you said)"),
        (0.55, r"(?:what|which) (?:school )?year (?:group )?{YOU_ARE}(?: you)?(?: in)?"),
        (0.5, r"{YOU_ARE} (?:you )?(?:like |about |around |maybe )?\d{1,2} or (?:something|smth|so|what)"),
        (0.45, r"{YOU_ARE} (?:you )?old enough"),
        (0.5, r"(?:guess|guessing|bet|betting|reckon|assume|assuming|think) {YOU_ARE} (?:you )?(?:like |about |around |maybe |only )?\d{1,2}"),
        (0.5, r"{YOU_ARE} (?:you )?(?:still )?(?:in|at) (?:school|primary|secondary|middle school|high school|year \d{1,2}|grade \d{1,2})(?: right| yeah| yet| \?|$)"),
        (0.5, r"{YOU_ARE} (?:you )?still (?:in|at) (?:school|primary|secondary|middle school|high school)"),
        (0.5, r"(?:born in|when were you born|what year were you born|born what year|which year were you born)(?: what| which| \?|$)"),
        (0.5, r"what (?:age|year) (?:did|will|do) you (?:turn|hit|become|be)"),
        (0.45, r"how many candles"),
        (0.45, r"{YOU_ARE} (?:you )?(?:so |way |much |a lot )?younger than (?:me|i thought|i expected)"),
        (0.5, r"(?:how|what) old (?:is|are) (?:ya|you|u)\b"),
        (0.5, r"{YOU_ARE} (?:like |about |around |only |just )?\d{1,2}(?: years old)? (?:right|yeah|innit|correct|yes|no|or so|or something|then|now)(?: \?|$)"),
        (0.5, r"(?:primary|middle|high|secondary|elementary|junior|senior) (?:school )?or (?:primary|middle|high|secondary|elementary|junior|senior|college|uni|university)"),
        (0.55, r"how old (?:[^ ]+ )?(?:are you|is you|you are)"),
        (0.5, r"{YOU_ARE} (?:not )?(?:like |about |around |only |just )?\d{1,2}(?: years old)? (?:are you|are not you|right|yeah|innit)"),
        (0.5, r"(?:you )?(?:look|looks|seem|sound|act) (?:about |like |around |maybe |only |barely )?\d{1,2}"),
        (0.45, r"(?:you are |you )?younger than (?:my |your )?(?:[^ ]+ )?(?:sister|brother|cousin|niece|nephew|kid|daughter|son)"),
        (0.5, r"(?:your|ur) (?:real|actual|true) age|(?:real|actual|true) age \?"),
        (0.55, r"{YOU_ARE} (?:you )?(?:like |in |a |like a |in a |like in )?(?:year|grade) \d{1,2}"),
        (0.5, r"(?:do|are) you {ADV}(?:go|going|in|at) (?:to )?(?:secondary|primary|middle|high|elementary|junior|senior)(?: school)?(?: yet| still| \?|$)"),
        (0.55, r"{YOU_ARE} (?:you )?(?:a )?(?:teen|teenager|kid|child|adult|minor|grown up) or (?:still )?(?:a )?(?:teen|teenager|kid|child|adult|minor|grown up)"),
        (0.5, r"(?<!i am )(?<!i am in )(?:like what |what |like |in like )(?:\d{1,2}(?:st|nd|rd|th) grade|grade \d{1,2}|year \d{1,2})(?: \?|$| right| yeah| or)"),
        (0.5, r"(?:must be|probably|bet you are|guess you are|i reckon you are) (?:in |like |about )*(?:\d{1,2}(?:st|nd|rd|th) grade|grade \d{1,2}|year \d{1,2}|\d{1,2})"),
        (0.45, r"(?:even )?allowed (?:on|to use|to be on) (?:here|this|this app|this game|this site|social media)(?: at your age| \?|$)"),
    ],
    "flattery_special_relationship": [
        (0.55, r"we (?:just |really |totally |proper |honestly )?(?:click|clicked|vibe|connect|connected)(?: so well| straight away| you know| \?|$| like)"),
        (0.55, r"(?:more [a-z]+|[a-z]{3,}er) than (?:the |all the |most )?other (?:[a-z]+ )?(?:kids|people|girls|boys|players|students|teens|writers|artists|gamers|ones)"),
        (0.5, r"(?:better|smarter|nicer|cooler|funnier|faster|quicker|more talented|more mature) than (?:most|all the|the other|other) (?:[a-z]+ )?(?:people|kids|players|girls|boys|students|teens)"),
        (0.65, r"{YOU_ARE} {ADV}(?:not|nothing) like (?:the |all the |most )?other (?:[a-z]+ ){0,2}?[a-z]+s\b"),
        (0.45, r"(?:{YOU_ARE}|you seem|you look|you sound|u seem) {ADV}(?:so |really |very |super |such a |honestly |proper )?(?:clever|brave|strong|kind|funny|wise|gifted|cool|chill|interesting|mature|special|caring|thoughtful)(?: and [a-z]+)?(?: for| \.|$| !| \?| though| honestly| tbh| you know| they| and| but| so| lol| haha| i )"),
        (0.55, r"(?:you have|you got|you have got|you\'ve got) (?:[^ ]+ ){0,2}(?:the look|the face|the smile|the vibe)(?: we| i| they| brands| that)"),
        (0.55, r"(?:people|someone|somebody|anyone) like us|(?:you and me|me and you|the two of us) are (?:the same|alike|different)"),
        (0.85, r"(?:so |very |really |quite |pretty )?(?:mature|grown up|smart|wise|beautiful|pretty|grown|developed|advanced|clever|intelligent) for (?:your|a) (?:age|\d+ years old|\d+ year old|kid|girl|boy)"),
        (0.8, r"{YOU_ARE} (?:not|nothing) like (?:other|the other|most|all the other) (?:girls|boys|kids|people|teens|children)(?: your age)?"),
        (0.8, r"{YOU_ARE} {ADV}(?:much |a lot )?(?:more mature|different|smarter|older) than (?:other|the other|most|all the other|kids|people|girls|boys)"),
        (0.75, r"(?:no one|nobody|no body) (?:else )?(?:understands|gets|knows|appreciates|sees|cares about|loves) you (?:like|the way|as much as|better than) (?:i|me)"),
        (0.7, r"(?:i|only i) (?:really |truly )?(?:understand|get|see|know|appreciate) you (?:better than|like no one|more than|like nobody)"),
        (0.55, r"{YOU_ARE} (?:so |really |very |such a |truly )?special(?: to me)?"),
        (0.7, r"(?:we have|we got|there is|i feel|i feel like we have|feel) (?:a |such a |this |something )?(?:special|real|deep|strong|unique) (?:connection|bond|relationship|friendship|something)"),
        (0.7, r"our (?:special |little )?(?:connection|bond|relationship|special friendship)"),
        (0.65, r"(?:i have|i have never|never) (?:never )?met (?:anyone|someone|anybody|a girl|a boy) (?:like you|as (?:special|mature|amazing|beautiful))"),
        (0.7, r"{YOU_ARE} {ADV}(?:the only one|my everything|my (?:favourite|favorite|special|number one|only) (?:girl|boy|person|one|friend)|one of a kind)"),
        (0.75, r"(?:soul ?mate|meant to be|falling for you|fallen for you|i am in love with you|made for each other)"),
        (0.55, r"i (?:really |truly )?(?:love|adore) you"),
        (0.55, r"(?:i|i really|i truly) care (?:about you )?(?:so much|a lot|deeply)"),
        (0.6, r"you mean (?:so much|everything|the world|a lot) to me"),
        (0.45, r"{YOU_ARE} {ADV}(?:so |really |very |super |such a |absolutely |honestly |the most |literally )?(?:beautiful|gorgeous|stunning|pretty|cute|adorable|perfect|lovely|hot|attractive|sweet|amazing|talented|smart)"),
        (0.45, r"(?:so|very|really) (?:beautiful|gorgeous|stunning|pretty|cute)"),
        (0.55, r"(?:you could be|you should be|you look like) a model"),
        (0.5, r"(?:beautiful|gorgeous|pretty|cute|lovely|nice) (?:smile|eyes|face|hair|lips)"),
        (0.55, r"i (?:think|thought) about you (?:all the time|every day|a lot|constantly|all day)"),
        (0.55, r"i (?:cannot|can not) stop thinking about you"),
        (0.5, r"(?:you|talking to you) (?:make|makes) (?:me|my day)(?: so)? happy"),
        (0.6, r"{YOU_ARE} (?:way |so |much )?(?:more mature|older|wiser) than (?:your age|you look|i thought)"),
        (0.55, r"(?:you|u) (?:seem|act|sound|look|talk) (?:so |really |very |way )?(?:older|mature|grown up|more mature)"),
        (0.6, r"i (?:trust|understand) you (?:more than|like no one|completely)"),
        (0.55, r"{YOU_ARE} {ADV}(?:much |a lot )?(?:smarter|cooler|better|nicer|prettier|funnier|more fun|more interesting) than (?:other|the other|most|all the other|kids|people|girls|boys|everyone|anyone|my mates|my friends|people my age|anyone my age)"),
        (0.55, r"{YOU_ARE} (?:stand|standing|really stand) out"),
        (0.6, r"(?:you )?(?:look|looks|seem|seems|sound) (?:so |much |way |a lot )?older than"),
        (0.55, r"you deserve (?:someone|somebody|better|more|the best|to be)"),
        (0.55, r"(?:you have|you got|you have got) (?:real |so much |such |serious |natural |star |the |a )?(?:talent|potential|star quality|the look|a gift|what it takes|a great look)"),
        (0.5, r"{YOU_ARE} (?:so |really |very |super |incredibly |naturally )?(?:talented|gifted|photogenic)"),
        (0.5, r"you could (?:go|make it|be famous|be a star|go really far|go pro|be big)|you should go pro"),
        (0.5, r"(?:brands|agencies|scouts|people|everyone) (?:would|will) (?:love|want|notice) you"),
        (0.6, r"(?:best|most talented|most gifted|prettiest|cutest|smartest|coolest|nicest) (?:[^ ]+ ){0,2}(?:i have|i|i have ever|i ever) (?:ever )?(?:met|seen|known|coached|talked to|played with)"),
        (0.6, r"(?:cuter|prettier|more beautiful|hotter|better looking) than you (?:think|know|realise|realize)"),
        (0.5, r"you remind me of (?:me|myself)"),
        (0.6, r"(?:we are|we re) (?:like )?(?:best friends|soulmates|so close|really close)(?: already)?"),
        (0.6, r"{YOU_ARE} (?:the only (?:person|one) i can (?:talk|open up) to|my favourite [^ ]+|my favorite [^ ]+)"),
        (0.6, r"talking to you is (?:different|special|so easy|the best|so nice)"),
        (0.5, r"with the right (?:person|people|help|guidance|manager|coach|agent)"),
        (0.6, r"(?:proper|real|special|deep|strong) connection"),
        (0.55, r"(?:you have|you got|you have got) (?:a |such a )?(?:real |true |rare |natural |special )(?:gift|talent|eye|voice)"),
        (0.6, r"(?:most|other|the other) (?:students|kids|people|girls|boys|children|players) (?:of )?your age (?:can not|could not|do not|are not|would not|never)"),
        (0.6, r"we (?:really |just |totally )?(?:get|understand|click with|understand) each other"),
        (0.6, r"(?:like|as if you are|as though you are|as if you were) (?:someone|a girl|a boy|a woman|a man|an adult|a grown up) (?:much |way |a lot |so much )?older"),
        (0.45, r"{YOU_ARE} {ADV}(?:a natural|a star|a pro|gifted|so talented)"),
        (0.6, r"{YOU_ARE} {ADV}the only (?:one|person) (?:who|that) (?:gets|understands|knows|sees) me"),
        (0.6, r"(?:known|know) you (?:forever|for ever|my whole life|for years|all my life)"),
        (0.6, r"{YOU_ARE} {ADV}(?:different|not like) (?:from |to )?(?:everyone|everybody|anyone|the rest|other)"),
        (0.65, r"(?:no one|nobody) (?:else )?(?:makes|has ever made|made) me feel|(?:no one|nobody) (?:else )?(?:has )?(?:ever )?(?:understood|understands|got|gets|listened to) me (?:like|the way|as well as) you"),
        (0.5, r"(?:the )?(?:prettiest|cutest|nicest|most beautiful|loveliest|best) (?:smile|eyes|face|laugh|hair|girl|boy|person)"),
        (0.55, r"{YOU_ARE} {ADV}(?:so )?easy to talk to|i love talking to you"),
        (0.65, r"wise beyond your years|(?:old|mature|grown up) beyond your (?:years|age)"),
        (0.6, r"(?:never|not ever) (?:connected|clicked|felt this way|felt like this) (?:with|about) (?:someone|anyone|anybody)"),
        (0.55, r"one in a million|one of a kind|a rare (?:girl|boy|find|gem)"),
        (0.7, r"you get me like (?:no one|nobody|no body)"),
        (0.6, r"(?:the )?best thing (?:that )?(?:is|has|ever) happened to me"),
        (0.65, r"{ADV}(?:grown up|mature|older|wiser|smarter) compared to (?:your|other|the other)"),
        (0.6, r"(?:way |much |so much |a lot )?(?:more grown up|more mature|older|smarter|prettier|cooler) than (?:the |other |most |all the )?(?:girls|boys|kids|people|children|students|ones) (?:in|at|from|your|my|i)"),
        (0.55, r"i (?:feel like i )?can (?:tell|say|talk to) you (?:anything|everything|about anything)"),
        (0.5, r"(?:the )?(?:sweetest|kindest|nicest|prettiest|funniest|coolest|cutest|loveliest|smartest) (?:person|girl|boy|one|guy|player|kid) (?:on|in|i|here|ever)"),
        (0.6, r"(?:no one|nobody|no body) (?:else )?(?:is |has )?(?:ever )?(?:made|makes|make) me (?:laugh|smile|feel|happy) (?:like|the way|as much as)"),
        (0.55, r"(?:like|love|enjoy) (?:talking|chatting|speaking) (?:to|with) you (?:more than|the most|best)"),
        (0.55, r"{YOU_ARE} (?:proper|well|dead|really|so|very|so so) (?:mature|grown up|special|sweet|pretty|beautiful)"),
        (0.6, r"(?:never|not ever) (?:clicked|connected|bonded|got on) with (?:someone|anyone|anybody) (?:this|so|like)"),
        (0.55, r"{YOU_ARE} {ADV}(?:so |really |very )?special to me"),
        (0.55, r"(?:light|lights|lit|brighten|brightens|brightened|make|makes|made) (?:up )?my (?:day|night|week|life|whole day)"),
        (0.55, r"(?:never|not ever|do not) (?:feel|felt) (?:this|so|as) (?:comfy|comfortable|safe|happy|close|relaxed|at ease) (?:talking|with|around|chatting)"),
        (0.6, r"(?:we|you and me|you and i|me and you|us) (?:have|got|share|have got) (?:something|a thing|a bond|a connection) (?:special|real|unique|different|rare)"),
        (0.5, r"(?:the )?best (?:thing|person|part|one) (?:on|about|in) (?:this|here|my)"),
        (0.55, r"(?:the )?most (?:interesting|amazing|beautiful|special|fun|caring|genuine|mature|incredible|attractive|gorgeous) (?:person|girl|boy|one|people)"),
        (0.5, r"(?:your) (?:smile|eyes|face|laugh|hair|voice) (?:[^ ]+ ){0,4}(?:is|are) (?:everything|perfect|amazing|beautiful|gorgeous|so cute|adorable|stunning|unreal)"),
        (0.6, r"(?:no one|nobody) else (?:gets|understands|knows|listens to) me|i can (?:be|just be) myself with you"),
        (0.55, r"you deserve (?:so much |way |much |a lot )?better"),
        (0.6, r"(?:known|know) each other (?:forever|for years|for ever|our whole lives|all our lives|so long|for ages)"),
        (0.55, r"(?:talking|chatting|speaking) (?:to|with) you (?:makes|made|is) (?:everything|my day|me|it all|things) (?:better|happy|so)"),
        (0.5, r"{YOU_ARE} {ADV}(?:such a |a |my )?(?:sweetheart|angel|darling|gem|treasure|doll|princess|cutie)"),
        (0.6, r"(?:never|not ever) (?:met|known|seen|talked to) (?:a |anyone |someone |anybody )?(?:[^ ]+ )?as [a-z]+ as you"),
        (0.55, r"(?:feel|felt|so|really) (?:so |really |very )?close to (?:you|each other)"),
        (0.65, r"you (?:get|understand|know) me (?:in a way|like|the way) (?:nobody|no one|no one else|nobody else)"),
        (0.65, r"(?:mature|grown up|smart|wise|beautiful|pretty|grown|clever) for (?:\d{1,2}|someone your age|a \d{1,2} year old|a kid|a girl your age|a boy your age)"),
        (0.55, r"(?:love|like|adore) how (?:different|mature|grown up|special|smart|pretty|unique|cute) you are"),
        (0.55, r"(?:highlight|best part|best bit|best thing) of my (?:day|week|life|night)"),
        (0.55, r"{YOU_ARE} {ADV}(?:much |a lot |way )?(?:cuter|prettier|hotter|sweeter|smarter|nicer|cooler|funnier|better looking|more beautiful|more fun|more mature) than (?:any|every|all|most|other|the other|anyone|anybody|everyone)"),
        (0.55, r"(?:talk|chat|speak|text) (?:to|with) you (?:for hours|all day|all night|forever|for ever|every day)"),
        (0.5, r"(?:you have|you got|you have got) (?:such )?(?:a )?(?:beautiful|lovely|gorgeous|amazing|kind|pure|old|special|rare) (?:soul|heart|mind|personality|spirit|vibe|energy)"),
        (0.6, r"{YOU_ARE} {ADV}(?:too good|too mature|too smart|too pretty|too special) for (?:them|him|her|the|those|your|boys|girls|kids|people|anyone)"),
    ],
    "gifts_offers": [
        (0.65, r"{I_WILL} sort (?:you|u) (?:out )?(?:with )?(?:a |an |some |the )?(?:new )?{G1}{GIFT}"),
        (0.6, r"(?:pick|choose) (?:any|whatever|whichever|any one|the) {G2}(?:you|u) (?:like|want)"),
        (0.5, r"no (?:catch|strings(?: attached)?)"),
        (0.55, r"\d+ (?:pounds |quid |dollars |euros |bucks )?(?:for|per|a|an) (?:the |each |every )?(?:first |one |single )?(?:shoot|job|session|photo|picture|hour|day|video|modelling job)"),
        (0.75, r"{I_WILL} (?:buy|get|send|give|gift|pay for|order|grab) (?:you|u|ya|yourself)? ?{G3}{GIFT}"),
        (0.7, r"(?:want|wanna|would you like|do you want|would u like) (?:some |free |a |an |me to (?:buy|get|send) you )?{G2}{GIFT}"),
        (0.65, r"free {GIFT}"),
        (0.7, r"{I_WILL} (?:pay|give) you(?! (?:back|(?:[^ ]+ ){1,3}back|(?:some |my |a |an |the |your |this |that |these |those )?"
              r"(?:notes|feedback|advice|tips|pointers|help|hand|lift|ring|call|shout|heads up|answer|answers|marks|grade|"
              r"homework|hug|form|forms|details|address|link|sheet|letter|list|info|information|results|times|instructions|"
              r"directions|dates|kit|book|books|worksheet|slip|password|login|chance|time|space|update|call back)\b))"),
        (0.7, r"{I_WILL} (?:top up|load|add money to|pay for) your"),
        (0.6, r"i (?:have|got) (?:a |some )?{G2}(?:gift|present|surprise|something) for you"),
        (0.6, r"what do you want for (?:your birthday|christmas|a gift|a present)"),
        (0.7, r"(?:in exchange|in return) (?:for|you)"),
        (0.65, r"(?:you can have (?:it|them|one)|(?:i will|i can) (?:give|send|buy) (?:you )?{G3}) if you"),
        (0.6, r"(?:need|want) (?:some )?(?:money|cash|robux|vbucks|skins|a new phone|credit)\?"),
        (0.65, r"(?:send|give) me your (?:paypal|cash app|venmo|card|bank|account details)"),
        (0.6, r"(?:it is|its) (?:on me|my treat)"),
        (0.55, r"(?:spoil|treat) you"),
        (0.55, r"{G1}(?:gift|present) (?:just )?for you"),
        (0.65, r"(?:you can have|i can give you|i will give you|i could give you|want|do you want) (?:my|a|the|this|some) (?:[^ ]+ ){0,3}(?:account|skin|skins|pass|bundle|items|gems|coins|loot|stuff)"),
        (0.5, r"(?:spare|rare|maxed|unlocked) (?:[^ ]+ ){0,3}(?:account|skin|skins)"),
        (0.5, r"{I_WILL} (?:carry|boost|level up|coach) you"),
        (0.65, r"(?:i will|i can|i could) (?:sort you out|hook you up) with"),
        (0.6, r"(?:it is|its) (?:a )?paid|get paid|(?:pay|paying) you|paid (?:shoot|job|work|gig)|\d+ (?:pounds|dollars|quid) (?:an|a|per) hour|cover (?:travel|the travel|your travel|costs)"),
        (0.65, r"(?:i can|i will|i could) get you (?:a |an |into |signed|some )(?:[^ ]+ ){0,3}(?:trial|contract|deal|shoot|place|spot|camp|academy|agency|signed|ticket|discount)"),
        (0.5, r"(?:for free|free (?:products|clothes|stuff|things|tickets|gear|kit|trial|camp))"),
        (0.6, r"(?:need|want) (?:any|some|more|extra) {GIFT}"),
        (0.65, r"i (?:buy|get|send|gift|give) you (?:a |the |some |an )?{G2}{GIFT}"),
        (0.6, r"(?:i will|let me|i can) (?:cover|pay) (?:it|for it|the cost|everything|for everything)|(?:do not|dont) worry about (?:the )?(?:money|cost|price)"),
        (0.55, r"(?:let me|i will|i can|i could|i want to) (?:buy|get|treat|take) you (?:out )?(?:to )?(?:lunch|dinner|food|something|a meal|shopping|nice things)"),
        (0.6, r"(?:spare|extra|old|new) [^ ]+ (?:you could have|you can have|for you|if you want)"),
        (0.65, r"(?:i will|i can|let me) pay (?:your|for your|off your) (?:phone|bill|credit|top up|ticket|fare)"),
        (0.6, r"(?:anything|whatever) (?:you want|you like|you need)(?: just ask)?|(?:i will|i can) buy (?:it|them|that) (?:for you)?"),
        (0.6, r"(?:i have|i have got|i got|i bought|i have a) (?:a |something |some )?(?:little )?(?:gift|present|surprise|something) for you"),
        (0.6, r"(?:i will|i can|i could|i would|let me) (?:buy|get|grab|gift|order) (?:it|them|that|one|those)(?: for you)?(?: \.|$| \?| if| now| tonight| today)"),
        (0.55, r"(?:spare|extra|free|unused) (?:[^ ]+ ){0,2}(?:codes?|keys?|accounts?|skins?|items?|cards?|vouchers?)(?: if you| you can| for you| \?)"),
        (0.6, r"my treat|on me(?: \.|$| \?)|(?:i am paying|i will pay)(?: for (?:it|them|everything|you|that|the lot))?(?: \.|$| \?)"),
        (0.6, r"(?<!i )(?<!we )(?<!they )(?:fancy|want|wanna|need) (?:a |an |some )?new (?:[^ ]+ ){0,2}(?:phone|trainers|sneakers|shoes|headphones|console|controller|game|skin|clothes|bag|laptop)"),
        (0.55, r"what (?:skin|skins|game|games|item|items|gift|present|bundle|pass) do you want"),
        (0.65, r"(?:want|wanna|would you like|do you want|shall i|should i) me to (?:buy|get|send|pay for|cover|top up|gift|order|load)"),
        (0.55, r"i (?:got|have got|have) you covered|i will cover (?:it|you|your|the)"),
        (0.6, r"if you (?:ever )?(?:need|want) (?:any |some |more )?{GIFT}"),
        (0.65, r"{I_WILL} (?:chuck|bung|throw|slide|venmo|paypal|transfer|cashapp|zelle) (?:you )?{G2}(?:{GIFT}|tenner|fiver|twenty|score|money)"),
        (0.65, r"i (?:just |have |already )?(?:sent|gave|bought|got|gifted|loaded|transferred) you (?:\d+ |some |a |the |an )?{G1}{GIFT}"),
        (0.5, r"(?:and |then )?(?:it is|its|they are|it will be) (?:all )?yours"),
        (0.6, r"(?<!i )(?<!we )(?<!they )(?:want to|wanna|want) (?:a |an )?new (?:[^ ]+ ){0,2}(?:phone|trainers|sneakers|shoes|headphones|console|controller|game|skin|clothes|bag|laptop)"),
        (0.5, r"(?:i have|i got|i have got) (?:a |an |some )?spare(?: one| \.|$| if| for you| \?)"),
        (0.6, r"(?:i have|i got|i have got) (?:a |an |some )?{G2}(?:code|codes|card|key|voucher|gift|skin|pass|account) for you"),
        (0.65, r"{I_WILL} (?:buy|get|send|give|gift) (?:you )?(?:a |an |some )?(?:psn|xbox|nintendo|eshop|apple|roblox|fortnite|playstation|spotify|netflix|steam|amazon|google play) (?:card|code|credit|voucher|gift card)"),
    ],
    "secrecy": [
        (0.7, r"(?:this|it|that|everything|what we say) (?:stays|stay|remains|has to stay) (?:with us|between us|with me|in here|here)"),
        (0.75, r"(?:let us not|lets not|do not|dont|no need to|better not|we do not need to|we dont need to) (?:involve|bring in|include|get|worry) (?:{G2})?{PEOPLE}"),
        (0.65, r"(?:just )?say (?:that )?(?:you are|you re|youre|you were) (?:going|at|with|staying|out|round)"),
        (0.6, r"(?:is|are|keep it|keep this|stays) (?:strictly |totally )?confidential"),
        (0.6, r"(?:deletes|delete|deleting|disappearing|vanishing) (?:the |our )?(?:messages|chats|texts)"),
        (0.85, r"(?:do not|never|dont|no need to|you should not|you must not|you mustnt|must not|let us not|lets not|we should not|better not|you can not|you cannot|promise (?:me )?(?:you will not|not to|you wont)) (?:tell|show|mention|say (?:anything )?to|inform|let|talk to|ask|bring (?:it|this) up (?:to|with)) {G2}{PEOPLE}"),
        (0.8, r"(?:keep|keeping|kept) (?:this|it|that|us|our [^ ]+|what we [^ ]+|everything|things|all this|the [^ ]+|me) {G2}(?:a )?{SECRET}"),
        (0.8, r"(?:our|this is our|it is our|its our|keep it a|keep this a|be our|a little|our little|our own) (?:little |own |special |big )?(?:secret|secrets)"),
        (0.65, r"(?:just |only |stays |stay |this stays |it stays |keep it |strictly )?between (?:us|you and me|me and you|the two of us|us two)"),
        (0.8, r"(?:no one|nobody|no body|no one else|nobody else) (?:needs|has|have|need|should|is going|will ever|will|ever needs) (?:to |ever )?(?:know|find out|see|hear)"),
        (0.8, r"(?:they|your {PARENT}|your friends|people|adults|grown ups) (?:would not|will not|wont|would never|will never|do not|dont|does not|wouldnt) (?:understand|get it|approve|like it|need to know|have to know)"),
        (0.75, r"(?:delete|clear|erase|wipe|remove) (?:this|our|the|these|all|your|my|those) {G2}(?:chats?|messages|conversations?|texts|history|pictures|photos|dms|app|account)"),
        (0.7, r"(?:delete|erase|wipe) (?:it|them|everything) (?:after|afterwards|when|once|right)"),
        (0.7, r"(?:turn on|use|switch on|put on) (?:disappearing|vanishing|secret|incognito|private) (?:messages|mode|chat|chats)"),
        (0.8, r"so (?:that )?(?:no one|nobody|your {PARENT}|they|your friends|no body) (?:can |will |does |do |would )?(?:see|sees|find out|finds out|read|reads|know|knows|notice|check)"),
        (0.8, r"(?:do not|dont|never) let (?:them|your {PARENT}|anyone|anybody|people|your friends) (?:see|find out|know|read|catch|check)"),
        (0.6, r"(?:can|could) you keep a secret"),
        (0.75, r"hide (?:this|the|our|it|me|us|my|these|those) (?:[^ ]+ )?(?:from|so)"),
        (0.75, r"(?:do not|dont|never) (?:tell|mention) (?:anyone|anybody|them) (?:about me|about us|we)"),
        (0.7, r"(?:you can|you could) (?:say|tell them) (?:you are|it is|you were|i am) (?:a friend|at|with|from|your friend|doing homework|sleeping)"),
        (0.6, r"(?:tell|say to) (?:them|your {PARENT}) (?:you are|it is|that you are|i am) (?:a friend|just a friend|a girl|a boy|someone from school|from school|your friend)"),
        (0.65, r"(?:use|make) (?:a |another )?(?:fake|secret|second|private|hidden) (?:account|name|profile|number|app)"),
        (0.6, r"(?:between|for) your eyes only|for your eyes only"),
        (0.55, r"(?:it is|its) (?:our|my) (?:little )?secret"),
        (0.5, r"shh+|psst|keep quiet|keep it quiet|keep it down low|hush"),
        (0.75, r"promise (?:me )?(?:you will |you ll )?(?:keep|not tell|not say|you will not)"),
        (0.7, r"if (?:anyone|anybody|they|your {PARENT}|someone|somebody|people) (?:asks?|asked|ask you)"),
        (0.7, r"you do not know me|you never (?:met|talked to|spoke to) me|(?:say|tell them) you do not know me"),
        (0.75, r"(?:tell|say to) (?:them|your {PARENT}|everyone) (?:that )?(?:you are|you will be|you were|you re) (?:at|with|staying|sleeping|going|doing|out with)"),
        (0.75, r"(?:best|better|probably best|wiser|safer) (?:not|if you do not|if you did not) (?:to )?(?:mention|tell|say|share|bring)"),
        (0.65, r"(?:they|others|people|your friends) (?:might|would|will|could) (?:feel left out|get jealous|not understand|get the wrong idea|be jealous)"),
        (0.75, r"(?:keep|keeping) (?:this|it|that|these|our [^ ]+|what we [^ ]+|everything) (?:just |only )?(?:for us|to ourselves|for us only|for you and me|between ourselves)"),
        (0.7, r"(?:it is|its|this is|that is) our (?:thing|little thing|special thing|secret thing)"),
        (0.8, r"(?:do not|dont) want (?:your|ur) {PARENT} (?:thinking|to think|knowing|to know|finding out|to find out|getting the wrong idea)"),
        (0.75, r"(?:our|this|these|the) (?:chats?|messages|conversations?|talks?|convo|convos) (?:are|is|stay|stays|must stay|should stay) (?:private|secret|between us|just ours|ours)"),
        (0.7, r"(?:no one|nobody) elses business"),
        (0.7, r"(?:this|it|everything|that) (?:stays|is|remains|will stay|has to stay) (?:a )?(?:secret|private|between us)"),
        (0.75, r"(?:no one|nobody) (?:knows|finds out|sees|hears) (?:we|that we|about us|about this)|better if (?:no one|nobody|they|your {PARENT}) (?:knows|know|does not know|do not know|finds out)"),
        (0.8, r"(?:do not|never) tell a (?:soul|single person|living soul)"),
        (0.75, r"keep (?:quiet|schtum|shtum|mum) about (?:this|it|us|me|what)"),
        (0.75, r"make sure (?:no one|nobody|your {PARENT}|they|no body) (?:sees|see|finds|reads|knows|hears)"),
        (0.75, r"(?:has|needs|got) to (?:stay|be|remain) (?:our|a) (?:little )?secret"),
        (0.8, r"(?:do not|dont|never|no|can you not|could you not|you can not|better not) (?:go |be |start |even )?(?:telling|mentioning|showing|saying anything to) {G2}{PEOPLE}"),
        (0.75, r"(?:keep|zip) (?:your )?(?:mouth shut|lips sealed|lip sealed|mouth zipped|it zipped)"),
        (0.7, r"(?:can|could|would) you not (?:tell|mention|show|say anything to) {G2}{PEOPLE}"),
        (0.6, r"(?:do not|dont|never) (?:tell|mention) {G2}(?:anyone|anybody|them|{PARENT}|your {PARENT}|your friends) (?:about|that|we)"),
        (0.7, r"(?:not a word|say nothing|say nuffin|not a peep|zip it) (?:to|about) (?:anyone|anybody|your|them|us)"),
        (0.75, r"(?:no one|nobody|no body|no one else|nobody else|they|your {PARENT}) (?:can|could|must|should|may) (?:ever |never )?(?:know|find out|see|hear)"),
        (0.75, r"(?:do not|never|dont|not) (?:breathe|say|whisper|utter|speak) a (?:word|thing|peep|syllable)"),
        (0.7, r"what we (?:talk about|say|do|share|said|talked about|chat about) (?:stays|is|remains) (?:here|private|secret|between us|with us|in here|ours)"),
        (0.75, r"(?:your {PARENT}|they|no one|nobody|your friends) (?:does not|do not|will not|never) (?:ever |really |even )?(?:need|have|needs) to (?:see|know|find out|hear|read|hear about|know about)"),
        (0.75, r"tell (?:no one|nobody|no body|noone)|not even (?:your) (?:best friend|bff|mum|mom|dad|parents|sister|brother)"),
        (0.75, r"make sure (?:no one|nobody|your {PARENT}|they|your friends) (?:do not |does not |dont |never )(?:sees?|finds? out|reads?|knows?|hears?)"),
        (0.7, r"(?:delete|clear|erase|wipe|remove) (?:my|our|this|the) (?:number|contact|name|profile|account|snaps|texts|calls)"),
        (0.6, r"hide (?:it|this|them|that|the app|our [a-z]+|my [a-z]+)(?: \.|$| from| so| ok| somewhere| well)"),
    ],
    "isolation_exclusivity": [
        (0.55, r"(?:do not|dont|does not|doesnt) (?:sound|seem|look) like (?:they|she|he) (?:really |even )?(?:care|listen|notice|understand|get you)"),
        (0.6, r"(?:people|they|nobody|no one|adults|your {PARENT}) {G2}(?:do not|dont|never|can not|will never) {ADV}(?:understand|get|appreciate) (?:[a-z]+ )?(?:people like us|us|people like you|what we have)"),
        (0.55, r"(?:they|she|he|your {PARENT}|your friends|your mates|people|nobody|no one) {G2}(?:do not|does not|dont|doesnt|never) {ADV}(?:notice|listen|care|ask|see how|get how|know how|check on)"),
        (0.5, r"sounds? like (?:they|she|he|your {PARENT}|your friends|your mates) (?:do not|does not|never|dont|doesnt|just do not)"),
        (0.6, r"(?:deserve|need) (?:much |way )?better (?:friends|mates|people|parents|family)"),
        (0.55, r"(?:lads|boys|girls|guys|kids|people) (?:your|ur|of your) age (?:are|r) (?:so |just |all |really )?(?:immature|childish|boring|babies|losers|stupid|dumb)"),
        (0.75, r"(?:they|your {PARENT}|your friends|people|adults|teachers|other people|nobody else) {ADV}(?:do not|dont|will never|never|can not|cant|would never|does not) (?:really )?(?:understand|get|care about|appreciate|listen to|love|respect|value) you"),
        (0.75, r"i am the only (?:one|person) (?:who|that) {G2}(?:understands|cares|gets|listens|loves|knows|appreciates|gets you|is there)"),
        (0.75, r"(?:you only need me|you just need me|all you need is me|you do not need (?:them|anyone|anybody|your friends|other friends|anyone else|your {PARENT}))"),
        (0.75, r"(?:only|just) (?:talk|chat|speak|text) (?:to|with) me"),
        (0.7, r"{YOU_ARE} mine|you belong to me|you are all mine"),
        (0.65, r"forget (?:about )?(?:them|your friends|your {PARENT}|those people|everyone else|the rest|everyone|everybody|the others)"),
        (0.7, r"(?:your friends|they|those girls|those boys|your {PARENT}) (?:are|seem|sound) (?:so |just |really )?(?:jealous|fake|immature|childish|bad for you|holding you back|toxic|not real friends|using you|boring)"),
        (0.7, r"(?:stop|quit) (?:talking|hanging out|hanging|chatting|speaking) (?:to|with|around) (?:them|your friends|him|her|those)"),
        (0.6, r"(?:somewhere|a place|place) (?:private|more private|quiet|where no one|where nobody|just us)"),
        (0.6, r"just (?:you and me|the two of us|us two|us)(?: \?| \.|$| ok| alright)"),
        (0.65, r"(?:your|you) {PARENT} (?:is|are) (?:so |too |really )?(?:strict|controlling|unfair|overprotective|over protective|mean|annoying|crazy)"),
        (0.65, r"(?:they|your {PARENT}) (?:treat|treats) you like a (?:kid|child|baby)"),
        (0.6, r"{YOU_ARE} not a (?:kid|baby|child|little kid) (?:any ?more|anymore)"),
        (0.65, r"i am your (?:only|real|true|best) (?:friend|one)|i am all you need"),
        (0.65, r"(?:no one|nobody|no body) (?:else )?(?:cares about|loves|understands|gets|likes) you (?:like|as much as)"),
        (0.55, r"i am (?:always )?(?:here|there) for you(?: no matter what| always)?(?: unlike| not like)"),
        (0.6, r"(?:do not|dont) (?:invite|bring|add) (?:anyone|anybody|your friends|them|others|anyone else)"),
        (0.55, r"(?:i|we) (?:do not|dont) (?:need|want) (?:anyone|anybody|others|other people)(?: else)?"),
        (0.4, r"you can (?:always )?(?:talk to|tell|come to|trust) me (?:about anything|anything|instead|not them)"),
        (0.6, r"(?:do not|dont) (?:listen to|trust) (?:them|your {PARENT}|your friends|your teachers|teachers|adults|people|anyone else|anyone)"),
        (0.6, r"(?:they|your {PARENT}|your friends|your teachers|teachers|people) (?:do not|dont|will never|never|can not) (?:really )?know you"),
        (0.65, r"i am the only (?:one|person) (?:who|that) (?:is|s) (?:nice|kind|there|good) (?:to|for) you"),
        (0.55, r"i only want to [^ ]+ (?:with|to) you"),
        (0.6, r"(?:they|your {PARENT}|your friends|people) (?:will|would|are going to|just|always) (?:just )?(?:judge|blame|punish|hate|laugh at) you"),
        (0.65, r"(?:your|you) {PARENT} (?:is|are) (?:[^ ]+ ){0,2}(?:strict|controlling|unfair|overprotective|mean|annoying)"),
        (0.5, r"(?:come to|talk to|tell) me,? not (?:them|your [^ ]+)"),
        (0.55, r"you (?:have|ve|have got|got) me(?: \.|$| now| instead| though)"),
        (0.5, r"one to one|one on one|1 to 1|1 on 1|just the two of us"),
        (0.5, r"(?:some |most |all )?parents are (?:so |too |really )?(?:nosy|strict|controlling|annoying|overprotective|clueless)"),
        (0.75, r"i am the only (?:one|person) you can (?:trust|talk to|count on|rely on|turn to)"),
        (0.6, r"(?:spend|hang out|talk|be) less (?:time )?with (?:them|your friends|her|him|those)"),
        (0.65, r"{YOU_ARE} {ADV}better off without (?:them|him|her|your friends|your family)"),
        (0.65, r"(?:never|not|do not|will not) (?:understand|get) what we (?:have|share|are|got)"),
        (0.55, r"why do you (?:even )?(?:hang out|talk|bother) with (?:them|her|him|those)"),
        (0.65, r"(?:you and me|me and you|us) against the (?:world|rest)"),
        (0.7, r"(?:talk|speak|chat) only (?:to|with) me|only me from now on"),
        (0.7, r"(?:your|you) (?:mates|friends|family|{PARENT}|teachers|people) {ADV}(?:do not|dont|never|can not) (?:even )?(?:really )?(?:care about|understand|get|know|listen to|like|respect) you"),
        (0.65, r"(?:they|your {PARENT}|your family|your friends|your mates|people) {ADV}(?:treat|treats|see|sees|think of|thinks of) you (?:like|as) a (?:kid|child|baby|little kid)"),
        (0.65, r"i am (?:the only (?:one|person)|the one) (?:who|that) (?:is )?(?:always |really )?(?:there|here) for you"),
        (0.7, r"you (?:can|should) only (?:trust|talk to|rely on|count on|tell) me"),
        (0.6, r"(?:better off|happier|safer) (?:just )?(?:talking to|with|being with|speaking to) me"),
        (0.55, r"(?:ditch|drop|dump|leave|block|unfriend|unadd) (?:them|your friends|your mates|those [^ ]+|her|him)(?: \.|$| \?| they| you| and|,)"),
        (0.6, r"(?:no one|nobody) else (?:but|except|apart from) me"),
        (0.6, r"{YOU_ARE} (?:better|happier|safer) (?:off )?(?:without|away from) (?:them|him|her|your [^ ]+)"),
        (0.7, r"your (?:friends|mates|pals|squad|crew|bff|best friend|family) (?:are|is) (?:so |just |really |only |all )?(?:jealous|fake|immature|childish|toxic|using you|bad for you|holding you back|not real friends|boring)"),
        (0.65, r"only i (?:really |truly )?(?:get|understand|know|care about|see|appreciate) you"),
        (0.65, r"(?:your|you) (?:mates|friends|family|{PARENT}|teachers|people) {ADV}(?:do not|dont|never|does not) (?:even )?(?:notice|see|hear|value|want) you"),
        (0.6, r"(?:no one|nobody|they|none of them|your friends|those [^ ]+) (?:[^ ]+ ){0,3}(?:deserves?) you"),
        (0.6, r"forget (?:about )?(?:the rest|everyone|everybody|the others|all of them|the lot of them)"),
        (0.5, r"(?:stick|stay) with me(?: \.|$| forget| and| not| only)"),
        (0.6, r"(?:why would you|why do you|you do not|you will never|you will not) (?:even )?need (?:anyone|anybody|them|other people|friends|other friends)(?: else)?"),
        (0.65, r"(?:understand|know|get|love|care about|appreciate) you (?:so much |way |much |a lot )?(?:better|more) than (?:your|they|them|anyone|anybody|everyone)"),
        (0.65, r"(?:you and me|me and you|us) (?:vs|versus|against) (?:everyone|everybody|the world|them|the rest)"),
        (0.65, r"(?:your|you) (?:mates|friends|family|{PARENT}|teachers|people) {ADV}(?:never|does not|do not) (?:even )?(?:really )?(?:cares about|understands|gets|knows|listens to|likes|respects|notices|values|sees|hears|listen to) you"),
    ],
    "risk_assessment": [
        (0.6, r"(?:what time|when) (?:do|does) (?:everyone|your {PARENT}|they|your family|people|your folks) (?:[^ ]+ )?(?:go to (?:bed|sleep)|sleep|get home|get back|leave|go out)"),
        (0.8, r"(?:are|is) (?:your|you) {PARENT} {G2}(?:home|around|there|in|out|away|awake|asleep|sleeping|at work|working|nearby|watching|checking|looking|gone|back|in the house|downstairs|upstairs)"),
        (0.8, r"(?:is|are) (?:any ?one|any one|anybody|someone|somebody|people|your (?:{PARENT}|family)) (?:else )?(?:home|there|around|with you|near you|nearby|in the (?:room|house)|watching|in|awake|listening|close)"),
        (0.75, r"{YOU_ARE} (?:you )?(?:home )?(?:alone|by yourself|on your own)"),
        (0.6, r"home alone|alone at home|alone right now|alone tonight|by yourself right now"),
        (0.75, r"(?:is|are) (?:the|your) (?:door|bedroom door|room door) (?:locked|closed|shut)"),
        (0.8, r"(?:can|could|will|would|do|does) (?:anyone|they|your {PARENT}|someone|anybody|people) (?:see|hear|read|check|find|look at|go through|walk in) {G1}(?:you|this|us|your (?:phone|messages|screen|texts|chats)|the chat|our chat|what we)"),
        (0.8, r"(?:who|do your {PARENT}|does your {PARENT}|does anyone|do they|does anybody|will they|would they|can they) {G2}(?:check|read|look at|looks at|go through|goes through|monitor|monitors|see|sees|checks|reads|track|tracks) (?:your )?(?:phone|messages|texts|chats|dms|screen|computer|laptop|tablet|ipad|account|browser|history|snapchat|stuff)"),
        (0.7, r"(?:what time|when) (?:do|does|will|is|are) (?:your )?(?:{PARENT}|they|she|he) (?:\w+ )?(?:get|come|coming|be|getting) (?:home|back)"),
        (0.7, r"(?:what time|when) (?:do|does|will|are) (?:your )?(?:{PARENT}|they) (?:go|going) (?:to (?:bed|sleep)|out|away|to work)"),
        (0.7, r"(?:do|does) your {PARENT} (?:know|knows) (?:you are|you|about|that you) {G1}(?:talking|chatting|online|me|us|this|texting|on here|here)"),
        (0.65, r"(?:is|does) your (?:phone|laptop|computer|ipad|tablet|account) (?:have|in|private|yours|locked|passworded|password protected|checked|monitored)"),
        (0.6, r"{YOU_ARE} (?:you )?in your (?:room|bedroom|bed)"),
        (0.6, r"where (?:is|are) your {PARENT}"),
        (0.6, r"(?:do you have|have you got) (?:your own|a private|your own private) (?:room|bedroom|phone|laptop|computer|tablet)"),
        (0.65, r"(?:parental controls|screen time|family link|family sharing|find my)"),
        (0.65, r"(?:can|could) you (?:talk|chat|call|video|speak|text) (?:privately|in private|alone|without (?:anyone|them|your {PARENT}))"),
        (0.6, r"(?:does|do) (?:anyone|anybody|your {PARENT}) (?:know|knows) (?:your|the) (?:password|passcode)"),
        (0.6, r"(?:when|what time) (?:are|will) you (?:be )?(?:alone|home alone|by yourself|free to talk)"),
        (0.55, r"(?:are|r) they (?:strict|watching|nosy|checking)"),
        (0.55, r"(?:who|anyone) (?:else )?(?:is )?(?:home|there|with you)(?: \?| right now| now)"),
        (0.75, r"(?:do|does) your {PARENT} (?:work|get home|come home|go out|stay out|work late|work nights|go to work|leave)(?: late| nights| a lot| early| often)?"),
        (0.8, r"(?:is there )?(?:anyone|anybody|someone|somebody) (?:watching|looking|reading|standing) (?:over your shoulder|your screen|you|behind you)"),
        (0.65, r"(?:does|do) (?:anyone|anybody|your {PARENT}) (?:know|knows|have|has) (?:your|the) (?:passwords?|passcodes?|pin|login)"),
        (0.6, r"(?:mods|moderators|admins) (?:read|check|watch|see|monitor|can see)"),
        (0.55, r"(?:do|does) your {PARENT} (?:let you|mind|care|know what you|watch what you|see what you)"),
        (0.6, r"{PARENT} (?:strict|nosy|funny|weird) about (?:your )?(?:phone|screen|internet|online|messages|apps)"),
        (0.6, r"who (?:else )?(?:lives|is living|stays|is staying) with you"),
        (0.65, r"when (?:does|do|will) your {PARENT} (?:finish|get off|leave|get back from|come back from) (?:work|their shift|the shops)"),
        (0.7, r"(?:^|\. |\? )(?:any ?one|anybody|someone) (?:else )?(?:in the room|home|there|with you|around)(?: with you)?(?: \?| right now| now|$)"),
        (0.6, r"(?:does|do) (?:anyone|anybody|someone) (?:else )?(?:use|share|have access to|look at|go on) your (?:phone|laptop|computer|tablet|ipad|account)"),
        (0.6, r"(?:^|\. |\? |so |and )(?:your|you) {PARENT} (?:out|home|in|away|around|asleep|at work|gone)(?: tonight| today| now| right now| later| \?|$)"),
        (0.65, r"(?:who|does anyone|does anybody|do they|does your {PARENT}) (?:else )?(?:uses?|has|have|gets|get|shares?) (?:access to )?your (?:phone|laptop|computer|tablet|ipad|account|password)"),
        (0.6, r"(?:does|do|will|would) (?:your )?{PARENT} (?:ever )?(?:go|look) (?:through|thru|at|on) your"),
        (0.65, r"who (?:is|else is|s|else s) (?:in the house|home|there|in your house|around|in your room|in the room)(?: with you)?"),
        (0.6, r"(?:^|\. |\? |so |and )(?:your|you) {PARENT} (?:still |not )?(?:out|home|in|away|around|asleep|at work|gone|back)(?: yet| tonight| today| now| right now| later| \?|$)"),
        (0.7, r"(?:what time|when) (?:do|does|will|are) (?:your )?(?:{PARENT}|they) {ADV}(?:usually |normally |ever )?(?:go|going) (?:to )?(?:bed|sleep|out|away|work)"),
        (0.6, r"(?:^|\. |\? )(?:any ?one|anybody|someone|somebody) (?:else )?(?:awake|up|home|in|around|there)(?: in your| at your| with you| \?|$)"),
        (0.7, r"(?:do|does|will|would) your {PARENT} {ADV}(?:check|read|look at|go through|see|monitor|track) your (?:snap|snapchat|insta|instagram|whatsapp|discord|apps|dms|photos|gallery|camera roll|search history|tiktok|texts|chats|messages|phone)"),
    ],
    "platform_move": [
        (0.55, r"(?:you are|are you|you) on {PLATFORM}(?: right| yeah| yet| too| \?|$)"),
        (0.6, r"(?:message|text|dm|chat|talk|call) (?:me|with me) (?:privately|in private|directly|personally|somewhere else)"),
        (0.6, r"(?:my|a) (?:other|second|private|secret|spare|alt|backup) (?:account|acc|profile|number|instagram|snapchat|snap)"),
        (0.85, r"instead of (?:the |this |our |your )?(?:club|team|school|group|class|official|game|site|app|chat)(?: app| chat| group| page| site)?"),
        (0.7, r"(?:text|message|call|ring|whatsapp|contact) me on (?:my )?(?:personal |private |own |other |real |secret )?(?:number|phone|mobile|email)"),
        (0.6, r"(?:email|texting|text|phone|my number) is (?:easier|better|quicker|safer|more private)"),
        (0.6, r"(?:an|another|a different|a better|this) app (?:we can use|where|that (?:deletes|hides)|for us)"),
        (0.75, r"(?:add|message|msg|text|dm|hit|find|follow|talk to|chat with|call|ping|contact|reach|snap|direct message) (?:me )?{G3}(?:on|at|via|over|in|through|over on) {PLATFORM}"),
        (0.7, r"(?:do you have|have you got|are you on|do you use|what is your|give me your|send me your|drop your|can i (?:have|get)|could i (?:have|get)|may i have|share your|tell me your|whats your|put your|type your|leave your|send me|give me) {G2}{CONTACT}"),
        (0.8, r"(?:let us|we should|we can|can we|could we|want to|wanna|shall we|better to|i want to|we could|lets|how about we|maybe we) (?:\w+ )?(?:move|go|switch|talk|chat|continue|take this|take it|carry on|speak|keep talking) {G3}(?:to|on|over to|onto|in|over) {PLATFORM}"),
        (0.75, r"(?:this app|this site|this game|here|this chat|on here|this platform) (?:is|gets|are) (?:monitored|watched|moderated|not safe|too public|not private|checked|logged|read by|recorded)"),
        (0.7, r"(?:my|here is my|this is my) (?:snapchat|snap|whatsapp|instagram|telegram|kik|discord|skype|number|phone number|mobile|username|handle|cell) (?:is|\.|\?|:|$|\d{5,})"),
        (0.5, r"hit me up"),
        (0.6, r"(?:call|text|ring|phone|message|whatsapp|snap) me (?:on |at )?(?:\d{3,}|this number|my number|my other number|my private number)"),
        (0.7, r"(?:more private|somewhere private|somewhere else|other app|another app|different app|private app) (?:to talk|where we can|so we can|so no one|where no one)"),
        (0.6, r"{PLATFORM} is (?:better|safer|more private|easier)"),
        (0.55, r"(?:send|give) me (?:a )?(?:direct message|private message|message) (?:on|at)"),
        (0.65, r"(?:add|follow) me(?: back)? on"),
        (0.65, r"(?:what is|whats) your (?:snap|snapchat|whatsapp|insta|instagram|number|discord|kik|telegram)"),
        (0.6, r"(?:talk|chat) (?:in |on |over )?(?:private|private messages|direct messages|dms)"),
        (0.75, r"(?:switch|move|go|come|jump|hop|head) (?:over )?(?:to|on|onto) {PLATFORM}"),
        (0.6, r"(?:text|message|call|ring|dm) me instead"),
        (0.65, r"add me (?:there|on it|on that)"),
        (0.7, r"(?:talk|chat|speak) (?:properly|more|privately|freely|better|easier|more easily) (?:on|over|in) {PLATFORM}"),
        (0.7, r"(?:my|here is my|this is my) (?:signal|wickr|tiktok|insta|line|viber|wechat|telegram|session) (?:is|\.|:|$)"),
        (0.7, r"(?:mods|moderators|admins) (?:read|check|watch|see|monitor)"),
        (0.6, r"(?:what is|whats|what s) your (?:tiktok|signal|wickr|mobile|mobile number|cell|line|viber|wechat|session)"),
        (0.65, r"(?:you got|got|have you got|you have|are you on|you on) {PLATFORM}(?: \?|$)"),
        (0.7, r"(?:download|get|install) {PLATFORM} (?:and|so)"),
        (0.7, r"(?:switch|move|go|talk|chat) (?:to|on|onto|over to) (?:a |an )?(?:private|secret|different|other|safer|encrypted) (?:app|chat|site|platform)"),
        (0.6, r"(?:i will|let me|can i) (?:text|call|ring|message|whatsapp) you(?: \.)? (?:what is|whats|give me|send me) your"),
        (0.6, r"(?:too|so|really|very) (?:public|monitored|watched)(?: here| on here| \.|$| let| lets| we)"),
        (0.6, r"(?:go|talk|chat|move|switch) (?:somewhere )?(?:private|privately)(?: \.|$| \?| instead| on| to| where| so)"),
        (0.55, r"(?:my|add my|here is my) (?:snaps?|snapchats?|instas?|discords?|kiks?|numbers?|tiktoks?) (?:is |are |\: )?{G2}[^ ]*[0-9_][^ ]*"),
        (0.45, r"(?:^|\. )add me(?: back)?(?: there| now| pls| please)?(?: \.|$)"),
        (0.6, r"(?:got|have|use|on) (?:snapchat|whatsapp|instagram|telegram|kik|discord|signal|wickr|skype|viber|wechat)(?: \?| or| then| too)"),
        (0.6, r"(?:what is|whats|what are) (?:your|you are) (?:[^ ]+ )?(?:on|for) {PLATFORM}"),
        (0.45, r"(?:let us|lets|we should|can we|shall we) (?:move|switch)(?: chats?| apps?| somewhere| elsewhere| over)?(?: \.|$| \?)"),
        (0.65, r"{PLATFORM} (?:server|group|chat|account|page) (?:just )?for (?:us|you and me|the two of us|me and you)"),
        (0.6, r"(?:can not|cannot|can t) (?:talk|chat|speak) (?:here|on here|in here)"),
        (0.65, r"(?:let us|lets|we should|can we|shall we|we could|wanna|want to) (?:talk|chat|go|move|speak|continue) (?:somewhere|some place|someplace) (?:more )?(?:private|else|quieter|safer)"),
    ],
    "photo_camera_request": [
        (0.6, r"(?:full length|full body|close up|head to toe|headshots?) (?:photos?|pictures?|shots?|selfies?|and)"),
        (0.55, r"(?:record|film|video) (?:yourself|urself|a video of (?:you|yourself)|a clip of (?:you|yourself)|you (?:doing|dancing|singing|playing))"),
        (0.8, r"(?:send|show|share|give|post|text|snap|dm) (?:me|us) (?:a |an |some |another |one more |more |your |the |that |a few )?{G2}{PHOTO}"),
        (0.75, r"(?:(?:can|could|will|would|why do not|why not|when will|when can) you|do you want to|do you wanna|would you like to|are you going to|you should|you could|you can) {G2}(?:send|take|share|show|snap|film|record|post) (?:me )?{G3}{PHOTO}"),
        (0.7, r"{PHOTO} (?:of|with) (?:you|yourself|your face|your body|you in|your outfit|your room|you wearing|just you|what you are wearing|what you are in)"),
        (0.6, r"what do you look like"),
        (0.8, r"(?:turn|switch|put|go) on (?:your |the )?(?:camera|video|webcam|cam)"),
        (0.75, r"(?:let us|lets|can we|could we|wanna|want to|shall we|we should|will you|can you|do you want to|i want to) {G1}(?:video call|video chat|facetime|skype|go live|live stream|stream|camera|call on camera|call on video|cam|video)"),
        (0.7, r"(?:video call|facetime|skype|camera|cam|stream|go live|going live) (?:me|with me|for me|together|tonight|now|right now|just us|privately|in private)"),
        (0.7, r"(?:show|let me see|i want to see|i wanna see|can i see|could i see|lemme see) (?:me )?(?:you|your (?:face|body|room|outfit|bedroom|new)|what you (?:look like|are wearing|got)|more of you|yourself)"),
        (0.8, r"(?:send|take|share|post) (?:a |another |one more |a new |some |more |a quick |a cute |a private |a special )?{G1}{PHOTO} (?:for me|just for me|only for me|in your|wearing|without|in bed|in your room|of your|right now|now|before|tonight|of yourself|of you)"),
        (0.7, r"(?:one more|just one|only one|a few more|another) {G1}(?:picture|photo|selfie|video|pic)"),
        (0.75, r"(?:go|do a|start a|do) (?:live|live stream|stream) (?:for me|just for me|privately|in private|for us)"),
        (0.45, r"{PHOTO} (?:please|now|right now)"),
        (0.65, r"(?:i want|i would like|i wanna|i need|i would love) {G1}(?:a |some |another |more |your )?{PHOTO}"),
        (0.6, r"prove (?:it|that it is you|you are real|who you are) {G2}(?:photo|picture|selfie|camera|video)"),
        (0.6, r"(?:send|text|show) (?:me )?(?:a |one )?(?:selfie|face picture|face reveal|mirror picture)"),
        (0.8, r"(?:turn|switch|put) (?:your |the )?(?:camera|video|webcam|cam) on"),
        (0.75, r"(?:show|let me see|see) (?:me |you )?on (?:camera|cam|video|facetime)|on camera"),
        (0.5, r"(?:^|\. |\? )(?:a |any |more |new )?{PHOTO} \?"),
        (0.5, r"(?:send|show) (?:me )?(?:one|a few|some)(?: \.|$| \?| please| now)"),
        (0.65, r"(?:test shots|shots|headshots|ones|pictures|photos) (?:[^ ]+ ){0,2}of you"),
        (0.7, r"we (?:do|can do|will do|could do|should do) (?:a )?(?:quick )?(?:video call|video chat|facetime|camera call|cam)"),
        (0.75, r"(?:send|take|do|get) (?:me )?(?:\d+|one|two|three|a few|some|a couple) more"),
        (0.7, r"(?:private|one to one|1 to 1|personal|special) (?:lesson|session|chat|call|show|shoot) (?:over|on|via) (?:video|camera|cam|facetime|video call|zoom|skype)"),
        (0.5, r"(?:over|on|via) (?:video|camera|cam|facetime|video call)(?: sometime| later| tonight| now| together)"),
        (0.7, r"(?:let me see|lemme see|i want to see|i wanna see|can i see|could i see|can i get|can i have|could i have|could i get|may i see|may i have) (?:a |an |some |another |one more |your |a quick |a new |any )?{G1}{PHOTO}"),
        (0.65, r"(?:you got|have you got|do you have|got) (?:any |some )?{PHOTO} (?:of|with) (?:you|yourself|your face)"),
        (0.65, r"(?:hop|jump|get|come) on (?:camera|cam|video|facetime|video call|call)"),
        (0.6, r"(?:take|snap|film|record) (?:a |one |some )?{G1}{PHOTO} (?:for me|of you|of yourself)"),
        (0.55, r"(?<!i will )(?<!i can )(?<!i could )(?<!i would )(?<!going to )(?<!i shall )(?<!let me )send (?:a |an |some |one |your |me )?{G1}{PHOTO}(?: \.|$| \?| please| now| tonight| kiss| love| x)"),
        (0.65, r"(?:take|snap|get) (?:a |an |some )?{G1}{PHOTO} and send"),
    ],
    "meeting_request": [
        (0.55, r"{I_WILL} (?:drive|take|collect|fetch|walk) (?:you|u)\b(?! (?:through|to do|how))"),
        (0.55, r"{I_WILL} (?:drive|come|pop|head) (?:over )?(?:to|round to|round|over to|by) (?:yours|your (?:house|place|flat|school|town))"),
        (0.45, r"{I_WILL} (?:drop|bring) (?:it|them|this|that|something) (?:round|over|to yours|to your)"),
        (0.55, r"(?:go|going) (?:for a drive|for a ride|for a walk|on a date)(?: together| with me|,| just)"),
        (0.55, r"(?:one to one|1 to 1|one on one|private) (?:sessions?|lessons?|training|coaching)(?: at| in| with| after)"),
        (0.7, r"come (?:on your own|by yourself|alone|without (?:anyone|your))"),
        (0.75, r"(?:we should|let us|lets|can we|could we|wanna|want to|we could|i want to|i would love to|i would like to|i will|i can|shall we|why not|do you want to|would you like to|i really want to|when can we|when do we|how about we|maybe we could) {G2}(?:meet|hang out|see each other|get together|meet up|link up|catch up in person|go on a date)"),
        (0.8, r"(?:meet|see) (?:me|you|each other|up) {G3}(?:in person|in real life|for real|irl|somewhere|alone|secretly|tonight|this weekend|after school|at the park|behind|near your|outside your|without)"),
        (0.45, r"(?:i will|i can|i could|let me) (?:pick you up|come (?:to |and )?(?:get|see) you|drive (?:to you|over|down)|come over|visit you|come to your (?:house|school|town|place)|wait for you)"),
        (0.7, r"(?:where|when|what time) (?:can|could|should|do|shall) (?:we|i) (?:meet|see you|pick you up|hang out)"),
        (0.8, r"(?:come|sneak) (?:out|over|round|to my (?:place|house|car|flat)) {G2}(?:to see me|tonight|to meet|at night|when|without|late)"),
        (0.85, r"sneak out"),
        (0.75, r"(?:do not|dont|no need to) bring (?:anyone|anybody|your friends|a friend|your {PARENT}|them)"),
        (0.75, r"(?:come|be|meet me|meet|walk|go) (?:there )?(?:alone|by yourself|on your own)(?: \.| \?|$| ok| to| and| so)"),
        (0.4, r"in real life|face to face|in person"),
        (0.7, r"(?:come|come over|come round|stay|sleep over|visit|go back|get in) (?:to |at |in )?(?:my|our) (?:place|house|flat|apartment|car|hotel|room)"),
        (0.6, r"(?:i am|i will be|i live|i work) (?:near|close to|not far from|only \w+ (?:miles|minutes) from) (?:you|your)"),
        (0.6, r"(?:get|take|catch) (?:a |the )?(?:bus|train|taxi|uber) to (?:me|my|see me)"),
        (0.6, r"(?:i will|i can) (?:pay for|send you money for|buy) (?:your |the |a )?(?:ticket|bus|train|taxi|uber)"),
        (0.8, r"(?:i will be|i am|i will|be) at (?:the )?(?:[^ ]+ ){1,3}(?:monday|tuesday|wednesday|thursday|friday|saturday|sunday|tonight|tomorrow|this weekend|after school|later)(?: \.)? come"),
        (0.75, r"come (?:and )?(?:meet|see|find|visit) me"),
        (0.6, r"(?:i will|i can|i could) come to you"),
        (0.5, r"just (?:say|tell me) where"),
        (0.8, r"to come (?:and )?(?:see|meet|visit) me"),
        (0.7, r"meet me(?: at| in| by| near| outside| after| behind| tonight| tomorrow| this| on| somewhere)"),
        (0.55, r"(?:let me|i will|i want to|i would like to|can i) take you (?:out|somewhere|for a drive|for a ride|for food|to)"),
        (0.65, r"come (?:round|over|back|along) to (?:mine|my place|my house|my flat|my car)|come to mine"),
        (0.5, r"(?:i will|i can|let me|i could) (?:come|come and|drive and) (?:pick|get|collect) you"),
        (0.6, r"(?:when|what day|what time) (?:are|r) you (?:free|around|available) (?:to )?(?:meet|hang out|see me|come)"),
        (0.65, r"(?:i will|i can|i could|i am going to|i will be) (?:be |wait |come |park |pick you up )?(?:outside|near|by|at the gates of|round the corner from) your (?:school|house|home|flat|place|street|work|club)"),
        (0.65, r"come (?:round|over|back|along|to) (?:to )?mine"),
        (0.6, r"(?:hang|hang out|chill|meet|link) (?:up )?(?:in real life|in person|for real|face to face)"),
        (0.55, r"(?:come to|visit|drive to|drive over to|get the train to) your (?:town|city|area|village|house|school)"),
        (0.6, r"(?:get|take|catch) (?:a |the )?(?:bus|train|taxi|uber|tube) (?:to|over to|round to) (?:mine|my place|my house|where i|my flat|my area)"),
    ],
    "guilt_pressure": [
        (0.55, r"(?:since|because|cos|coz) (?:you|u) (?:clearly |obviously |just )?(?:do not|dont) (?:care|like me|want me|want to talk)"),
        (0.45, r"fine (?:then )?{I_WILL} (?:just )?(?:go|leave|find someone else|talk to someone else)"),
        (0.55, r"after (?:all|everything) (?:our|these|this|the|we|i|that) (?:[^ ]+ ){0,3}(?:still )?(?:do not|dont|will not|wont|can not) trust me"),
        (0.5, r"(?:you|u) (?:still )?(?:do not|dont) trust me(?: \?| after| even)"),
        (0.85, r"if you (?:really|truly|actually)? ?(?:loved|cared about|liked|trusted|love|care about|like|trust) me"),
        (0.85, r"after (?:all|everything) (?:i have|i|i did|ive) (?:done|given|bought|did|sent) (?:for you)?"),
        (0.8, r"you owe me"),
        (0.85, r"(?:the least|least) you (?:can|could) do"),
        (0.55, r"(?:do not|dont|stop) (?:be|being) (?:so |such a )?(?:shy|boring|a baby|baby|chicken|child|childish|scared|a chicken|silly|rude|difficult|like that|mean|weird|immature|a tease)"),
        (0.55, r"why (?:are|r) you (?:being )?(?:so )?(?:shy|boring|scared|difficult|rude|weird|cold|distant|immature)"),
        (0.45, r"(?:just|only) (?:once|one|one time|this once|for me|a quick one)(?: please| \?|$|\.)"),
        (0.45, r"(?:please|come on|go on|cmon) {G2}(?:just|for me|do it|it is nothing|it is not|no one will|nobody will)"),
        (0.55, r"you promised"),
        (0.6, r"i thought (?:you were|you are|that you were) (?:mature|different|my friend|cool|special|grown up|nice|better than)"),
        (0.7, r"(?:i guess|i suppose|so|fine|ok) you (?:do not|dont|never) (?:care|like me|trust me|love me|really care)"),
        (0.65, r"you (?:are|r) (?:hurting|breaking) (?:me|my heart|my feelings)|you hurt (?:me|my feelings)"),
        (0.6, r"(?:i will|i am going to|i would) be (?:so |really |very )?(?:sad|upset|hurt|angry|mad|disappointed) if you (?:do not|dont|say no|leave|stop|block)"),
        (0.6, r"(?:do not|dont) you (?:trust|like|love|care about) me"),
        (0.65, r"prove (?:it|that you|you love|you care|you trust|you are)"),
        (0.55, r"(?:it is|its|this is) (?:not a big deal|no big deal|normal|totally normal|completely normal|what (?:friends|couples|people|adults) do|nothing|natural|fine)(?: \.|$| \?| everyone| everybody| all)"),
        (0.65, r"(?:everyone|everybody|all the other [^ ]+|other girls|other boys|other kids|all my friends|all your friends|lots of girls|lots of kids) (?:else )?(?:does|do|did) (?:it|this|that)"),
        (0.5, r"(?:you are|your|you) (?:ignoring|avoiding) me|why (?:are|r) you ignoring me|answer me|reply to me|why did you not (?:answer|reply)"),
        (0.7, r"(?:i will|i am going to) (?:be )?(?:kill|hurt|harm) myself"),
        (0.6, r"you (?:are )?(?:made|make|making) me (?:so |really )?(?:sad|upset|feel bad|angry|cry|worried)"),
        (0.6, r"(?:i did|i do) (?:so much|everything|a lot) for you"),
        (0.55, r"you (?:have to|need to|must|better|gotta|got to) (?:do it|do this|send|show|answer|reply)"),
        (0.55, r"(?:you said you would|you said yes)"),
        (0.6, r"(?:you will|you would) (?:do it|do this) for me"),
        (0.55, r"why (?:are|r) you (?:being )?(?:like this|like that|so [^ ]+ (?:with|to) me)"),
        (0.8, r"if you (?:really |truly |actually )?(?:cared|loved me|liked me|trusted me)"),
        (0.65, r"i thought you (?:trusted|liked|loved|cared about) me"),
        (0.7, r"and (?:this is how you|you do this|now you|you treat me like)"),
        (0.75, r"i (?:gave|bought|got|sent) you (?:[^ ]+ ){0,5}and (?:this is|now|you)"),
        (0.5, r"{YOU_ARE} {ADV}(?:so |being )?(?:selfish|ungrateful|cruel|heartless|a tease)"),
        (0.5, r"i am (?:so |really )?(?:disappointed|hurt|upset|sad) (?:in|with|by) you"),
        (0.55, r"why (?:will not|wont|do not|dont|can not) you (?:do (?:this|it|that)|just do|send)"),
        (0.55, r"you said you would|you said you(?: would)? do anything"),
        (0.5, r"i thought (?:we were|we are) (?:friends|close|special|together)"),
        (0.5, r"{YOU_ARE} (?:being )?(?:so |really )?unfair (?:to|on) me"),
        (0.65, r"after (?:all )?(?:the|those|that|everything|all the) (?:[^ ]+ ){0,2}(?:i gave you|i got you|i bought you|i sent you|i did for you)"),
        (0.55, r"(?:you are going to|you will|you gonna) make me (?:cry|sad|upset|angry)"),
        (0.5, r"(?:just )?do it for me(?: please| pls|$| \.)"),
        (0.6, r"(?:i see how it is|so that is how it is|wow ok then|fine be like that|be like that then)"),
        (0.6, r"(?:after|with) (?:all )?(?:the|everything|all the) (?:stuff|things|gifts|presents|robux|money|skins|time) i (?:got|gave|bought|sent|spent on) you"),
        (0.55, r"(?:this is|is this) (?:what|how) (?:i get|you repay|you thank)"),
        (0.5, r"(?:come on+|cmon+|go on+|pls+|please+) (?:just )?(?:do it|send it|for me)"),
        (0.6, r"you {ADV}(?:hurt|broke|upset|crushed) (?:me|my feelings|my heart)"),
        (0.45, r"after (?:all|everything)(?: \.|$| \?| i| we| that)"),
        (0.6, r"i thought you {ADV}(?:trusted|liked|loved|cared about|wanted) me"),
        (0.7, r"if you (?:were|are) {ADV}(?:my )?(?:real |true |good |proper )?(?:friend|mate|girlfriend|boyfriend|bestie)"),
        (0.55, r"{YOU_ARE} (?:upsetting|hurting|annoying|disappointing|stressing) me"),
        (0.5, r"(?:stop|quit) (?:acting|being) (?:like )?(?:a )?(?:little |such a )?(?:kid|baby|child)"),
        (0.55, r"you {ADV}(?:do not|never|dont) {ADV}(?:appreciate|care about|respect|value|thank|listen to) me"),
        (0.6, r"i thought you (?:cared|loved me|liked me|were different|were nice|were my friend)"),
        (0.55, r"(?:you )?{ADV}(?:let|letting) me down"),
        (0.5, r"(?:just )?do it (?:already|now|for once|quickly)"),
        (0.5, r"{YOU_ARE} being {ADV}(?:selfish|ungrateful|mean|difficult|unfair|horrible|cruel|cold|rude|boring|dramatic|annoying|childish)"),
        (0.6, r"i (?:have|ve) (?:done|given|spent|sacrificed) (?:so much|everything|a lot|loads) (?:for|on) you"),
        (0.55, r"{YOU_ARE} {ADV}(?:upsetting|hurting|annoying|disappointing|stressing) me"),
    ],
    "threats_sextortion": [
        (0.65, r"{I_WILL} (?:tell|show|send (?:it|them|this) to) (?:your|ur|the) (?:whole |entire )(?:school|class|year|family|group)"),
        (0.95, r"(?:i will|i am going to|i am gonna|or i will|or i|i could|i can|i might|i shall|i would) {G2}(?:send|show|share|post|leak|expose|spread|forward|upload|give|publish) {G2}(?:your |the |those |these |our |all |all your |all the |all our )?(?:pictures|photos|videos|pics|screenshots|messages|chats?|them|it|these|those|everything|this|clips|recordings) {G3}(?:to|on|with|for|in|all over) {G2}(?:your )?(?:{PARENT}|friends|school|everyone|everybody|followers|teachers?|class|classmates|internet|online|the world|contacts|group chat|police)"),
        (0.6, r"(?:i will|i am going to|i am gonna|or i will|or i) {G2}(?:send|show|share|post|leak|expose|spread|forward|upload|publish|tell) {G4}(?:to|on|with|all over) {G2}(?:your )?(?:{PARENT}|friends|school|everyone|everybody|followers|teachers?|class|classmates|internet|the world|contacts)"),
        (0.7, r"(?:everyone|everybody|your (?:{PARENT}|friends|school|family|teachers?|class|whole school)) (?:will|is going to|are going to|gonna|would) (?:find out|know|hear about|see (?:them|it|everything|these|those|the pictures|the photos|what you|your|this))"),
        (0.7, r"if you (?:do not|dont|stop|block|tell|ignore|refuse|leave|report|say no) {G6}(?:i will|i am going to|then i|i am gonna|i can|i swear|everyone|i would)"),
        (0.7, r"or else|or you will regret"),
        (0.45, r"unless you"),
        (0.35, r"you better|you had better"),
        (0.75, r"(?:i have|i have got|i still have|i saved|i have saved|i screenshotted|i kept|i recorded|i got) {G2}(?:your |all your |the |those |our )?(?:pictures|photos|videos|screenshots|messages|chats|recordings|screen recording|selfies|pics)"),
        (0.9, r"(?:pay|send) (?:me )?{G3}(?:or else|or i|otherwise|or everyone|or your)"),
        (0.85, r"(?:you will regret|you will be sorry|you are going to regret|you will pay for)"),
        (0.9, r"ruin your (?:life|reputation)|(?:your life|you) (?:will be|is) (?:over|ruined)"),
        (0.6, r"you will (?:get|be) in (?:so much |big |huge |real )?trouble"),
        (0.9, r"(?:no one|nobody|no body) (?:will|would|is going to) (?:believe|trust) you"),
        (0.9, r"i know where you (?:live|go to school|are)"),
        (0.85, r"(?:i will|i can|i am going to) (?:find|track|come for|hunt) you"),
        (0.85, r"(?:i will|i am going to) (?:tell|show) {G2}(?:everyone|your {PARENT}|your friends|your school)"),
        (0.5, r"(?:you have|you got) (?:\d+|one|an) (?:hours?|minutes|days)"),
        (0.75, r"(?:do what i say|do as i say|do as you are told)"),
        (0.5, r"(?:screenshot|screenshots|recording) (?:of|with) (?:you|our|this|your)"),
        (0.8, r"(?:i will|i can|i could|i am going to) get you in (?:so much |big |real |serious )?trouble"),
        (0.9, r"(?:i will|or i|i am going to|i can) {G2}(?:post|share|send|leak|spread|upload|put) {G3}(?:everywhere|online|on the internet|to everyone|all over|on every)"),
        (0.65, r"(?:i have|i got|i have got) (?:screenshots|screen shots|recordings|proof|evidence)"),
        (0.9, r"(?:your|ur) (?:whole |entire )?(?:class|school|family|friends|parents|mum|mom|dad|followers|year group|year) (?:gets?|will get|sees?|will see|is getting|are getting|gonna get|going to get|will have|hears|will hear) (?:it|them|this|these|those|everything|the (?:pictures|photos|pics|videos|chats))"),
        (0.6, r"(?:remember|do not forget) (?:the|that|those|what) (?:pictures?|photos?|pics?|videos?|selfies?|messages?|things?) (?:you )?(?:sent|gave|showed)"),
        (0.75, r"i will (?:delete|remove) (?:it|them|everything) (?:if|when|once) you"),
        (0.8, r"(?:make|turn) your life (?:hell|a misery|miserable|a nightmare)"),
        (0.7, r"(?:do not|dont) make me (?:share|send|post|show|tell|leak|do something)"),
        (0.75, r"(?:or|otherwise|else) (?:everyone|everybody|your (?:{PARENT}|friends|mates|school|family|class|teachers?|followers)) (?:sees|will see|gets|will get|finds out|will find out|knows|will know|hears)"),
        (0.85, r"i know (?:which|what) (?:school|street|house|road|town|area) you (?:go to|live|are|attend|live on|live in)"),
        (0.85, r"i know (?:your|where your) (?:address|school|house|postcode|street|home|mum|mom|dad|parents)"),
        (0.8, r"(?:you are|you will be|you are gonna|you are going to) (?:going to |gonna )?regret"),
        (0.65, r"(?:send|do|pay) (?:it|them|that|this|me) (?:or|otherwise) (?:i|else|everyone|your)"),
        (0.7, r"(?:make sure|see to it that|promise) (?:everyone|everybody|your {PARENT}|your friends|the whole school|your school) (?:knows|sees|finds out|hears|will know|will see)"),
        (0.8, r"(?:i will|i am going to|or i will|or i) (?:send|show|forward|give|tell) (?:your )?(?:{PARENT}|friends|school|teachers?|class) (?:everything|all (?:of )?(?:it|this|them|our|your|the|that)|(?:the|those|these|your|our|my|all the) (?:[^ ]+ )?(?:pictures?|photos?|pics?|chats?|messages|screenshots?|videos?|vids?|texts|snaps|convos?|conversations?|dms|selfies?|stuff|secrets?)|what (?:you|we) (?:said|sent|did|told|wrote|look|said to|sent to))"),
        (0.8, r"or (?:i will|i am going to|i) (?:post|send|share|leak|show|expose|upload|forward)"),
        (0.65, r"i (?:have )?(?:screenshotted|screenshot|recorded|screen recorded) (?:it|them|everything|all|our|the|this|you)"),
        (0.85, r"(?:i will|i am going to|i could|i can|or i will|or i) expose (?:you|your|this|everything|it)"),
        (0.6, r"{YOU_ARE} (?:going to|gonna) (?:be|get) in (?:so much |big |huge |real |serious )?trouble"),
        (0.75, r"(?:i will|i am going to|or i will|i could|i can|i might) (?:post|share|leak|spread|upload|forward|expose|send out) (?:the screenshots|(?:your|our|all your|all our) (?:screenshots|pictures|photos|pics|videos|chats|messages|recordings|selfies|secrets))"),
        (0.9, r"(?:no one|nobody|no body) (?:will|would|is going to) ever (?:believe|trust) you"),
    ],
    "body_relationship_steering": [
        (0.65, r"(?:do you have|have you got|got|you have|is there|do you got) (?:a )?(?:boyfriend|girlfriend|crush|partner|someone special|special someone|lover)"),
        (0.7, r"(?:have|has|did) (?:you|anyone|a boy|a girl) (?:ever )?(?:kissed|been kissed|kiss|had a (?:boyfriend|girlfriend)|dated|been on a date|been with)"),
        (0.6, r"{YOU_ARE} (?:you )?(?:single|dating|seeing (?:anyone|someone)|taken)"),
        (0.8, r"{YOU_ARE} (?:you )?(?:mature|developed|grown up|experienced|a woman|a man|all grown up|physically mature)(?: yet| now| enough| \?|$)"),
        (0.75, r"how (?:mature|developed|grown up|experienced|much do you weigh)(?: {YOU_ARE})?"),
        (0.4, r"how tall {YOU_ARE}"),
        (0.8, r"what (?:are|r) you wearing"),
        (0.6, r"(?:your|ur) (?:body|figure|legs|curves|chest|lips|skin|bum|hips|waist)"),
        (0.75, r"(?:has|is) your body (?:changing|changed|developing|grown)|(?:started|going through) puberty"),
        (0.7, r"(?:do you|have you|did you) (?:ever )?(?:think about|thought about|wonder about|wondered about|curious about|ask about) (?:boys|girls|kissing|dating|love|relationships|older (?:guys|men|boys|girls|women)|grown up (?:stuff|things))"),
        (0.85, r"(?:talk|chat|tell me|ask me) about (?:grown ?up|adult|mature|private|personal|intimate|secret) (?:stuff|things|topics|matters)"),
        (0.85, r"(?:would|do|could|will) you (?:ever )?(?:date|go out with|kiss|be with|like) (?:an older|someone older|older (?:guys|men|boys|girls|women|people))"),
        (0.6, r"(?:would|could|will) you (?:ever )?(?:date|go out with|kiss|be with) me"),
        (0.9, r"age (?:is|is just|s just) (?:just |only )?a number"),
        (0.8, r"(?:i would|i want to|i wanna|i wish i could|i would love to|can i|let me) (?:kiss|hug|cuddle|hold|touch) you"),
        (0.85, r"(?:be|become) my (?:girlfriend|boyfriend|gf|bf|girl|baby|babe)"),
        (0.8, r"(?:do you|you) like older (?:guys|men|boys|girls|women|people)"),
        (0.7, r"(?:underwear|bikini|swimsuit|swimming costume|pyjamas|pajamas|nightie|bra|your towel|nothing on|less clothes)"),
        (0.45, r"(?:in bed|in the shower|in the bath)"),
        (0.7, r"(?:what|which) (?:size|colour|color) (?:are|is) (?:your|you)"),
        (0.7, r"(?:are|r) you (?:ticklish|flexible)"),
        (0.55, r"(?:do|did) you (?:like|have) (?:anyone|someone|a crush)"),
        (0.6, r"(?:we could be|we would be|we are like) (?:a couple|together|boyfriend and girlfriend|more than friends)|more than friends"),
        (0.6, r"(?:you are|your) (?:so |really )?(?:hot|sexy)"),
        (0.75, r"(?:i|i have) (?:had )?(?:a )?(?:dream|dreamt|dreamed) about you"),
        (0.7, r"(?:relationship|dating|kissing|love) (?:advice|lessons|tips|practice)|(?:teach|show) you (?:how to kiss|about love|about dating|about relationships|things)"),
        (0.85, r"age (?:matters|does not matter|is nothing|means nothing|should not matter|gaps?)"),
        (0.85, r"(?:crush on|fancy|fancied|like|date|dated|dating|been with) (?:someone|somebody|anyone|a guy|a man|a boy|a girl|guys|men) older"),
        (0.7, r"someone older|older (?:guy|man|boyfriend|girlfriend)"),
        (0.8, r"{YOU_ARE} (?:you )?(?:developing|developed|growing|grown) (?:fast|early|quickly|up fast|so fast)"),
        (0.85, r"(?:you would|you d|you will) (?:be|make) a (?:great|good|perfect|nice|lovely|cute|amazing) (?:girlfriend|boyfriend|wife|husband|partner|gf|bf)"),
        (0.45, r"what size (?:are you|shoe|clothes|do you)|what size(?: \?|$)"),
        (0.75, r"(?:boys|girls|kids|people|lads) your age (?:are|r) (?:so |just |really )?(?:immature|childish|boring|babies|kids|stupid)"),
        (0.8, r"older (?:guys|men|boys|people|girls|women) (?:must|would|will|probably|definitely) (?:like|love|fancy|want) you"),
        (0.7, r"first (?:kiss|date|boyfriend|girlfriend)"),
        (0.6, r"(?:do|does) (?:boys|girls|guys|anyone|the boys|the girls) (?:at school )?(?:like|fancy|ask out|chase) you"),
        (0.7, r"(?:you must|i bet you|you probably) (?:have|get|got) (?:loads|lots|so many|heaps|plenty) of (?:boyfriends?|girlfriends?|boys|guys|admirers|attention)"),
        (0.8, r"(?:what do you|what are you going to|what will you|do you) wear (?:to bed|in bed|at night|to sleep)"),
        (0.8, r"{YOU_ARE} (?:you )?(?:a )?virgin"),
        (0.65, r"(?:do|did) you (?:like|enjoy|ever think about|practice) kissing"),
        (0.75, r"date (?:someone|a guy|a man|a girl|a woman|people) (?:my age|older|over \d+|in their)"),
        (0.7, r"(?:nice|great|good|perfect|hot|amazing) (?:body|figure|legs|curves)"),
        (0.6, r"(?:tell me|talk) about your (?:crush|boyfriend|girlfriend|love life|dating)"),
        (0.7, r"ready for (?:a relationship|a boyfriend|a girlfriend|dating|more|the next step)"),
        (0.6, r"(?:to )?look older|(?:wear|wearing) make ?up"),
        (0.6, r"(?:are|do) (?:boys|girls|guys|lads) (?:into|like|after|interested in) you"),
        (0.6, r"what is your type|(?:what|who) is your (?:crush|type)|your type(?: \?|$)"),
        (0.6, r"(?:any|which|what) (?:boys|girls|guys|lads|people) {G3}(?:you like|you fancy|you have a crush on|like you|fancy you)"),
        (0.55, r"(?:do|would) you (?:like|fancy) (?:any|anyone|someone|any of the) (?:boys|girls|guys|lads)?"),
        (0.65, r"(?:^|\. |have you |has anyone |you )?ever (?:been kissed|kissed (?:anyone|someone|a boy|a girl)|had a (?:boyfriend|girlfriend|bf|gf)|been on a date)"),
        (0.6, r"(?:has|have|did) (?:any ?one|anybody|someone|any boys?|any girls?|a boy|a girl) (?:ever )?asked you out"),
        (0.8, r"age (?:does not|should not|do not) (?:mean|matter) (?:anything|a thing|much)|age is (?:not important|irrelevant|nothing to me)"),
    ],
    "location_probing": [
        (0.7, r"where(?: abouts)? (?:do|d) you live|whereabouts|where you live|where is your (?:house|home|school|flat)"),
        (0.65, r"(?:what|which) (?:city|town|area|state|country|county|neighbou?rhood|part of (?:town|the city|the country)|street|road|village|estate|suburb) (?:do )?(?:you|are you|r you|you are) (?:live|living|from|in)"),
        (0.8, r"(?:what|which) school (?:do you|are you|you|d you|r you) (?:go|going|at|attend|in|to)"),
        (0.8, r"where (?:do you|d you) go to school|what is your school|name of your school|what school is (?:it|that)"),
        (0.85, r"(?:what is|whats|what s|tell me|give me|send me|share|drop) your (?:address|postcode|post code|zip|zip code|location|house number|street|exact location|live location|school|home)"),
        (0.85, r"(?:send|share|drop|give|text) (?:me )?(?:your |a )?(?:location|address|pin|postcode|live location|current location|a map)"),
        (0.4, r"{YOU_ARE} (?:you )?(?:near|close to|far from|anywhere near) [^ ]+"),
        (0.55, r"where (?:are|r) you (?:right now|now|at|at right now)"),
        (0.7, r"how far (?:do you live|is your (?:house|school|home)|away (?:are you|do you live))"),
        (0.6, r"(?:what|which) (?:bus|train|route) (?:do you take|do you get|stop)"),
        (0.45, r"where {YOU_ARE} (?:you )?from"),
        (0.6, r"(?:do you|you) live (?:near|close to|around|by|in|on)"),
        (0.6, r"what time (?:do you|does your school|does school) (?:get out|finish|end|leave|let out|start)"),
        (0.55, r"(?:where|which way) do you (?:walk|go) (?:home|after school)"),
        (0.5, r"age sex location"),
        (0.55, r"what (?:street|road|house|flat|building) (?:do you|are you)"),
        (0.55, r"(?:is|are) (?:your )?(?:house|home|school) (?:near|close to|by)"),
        (0.6, r"(?:which|what) part of"),
        (0.75, r"(?:nearest|closest) (?:[^ ]+ ){0,1}(?:station|bus stop|stop|shop|park|school|town|tube|train station) (?:to you|near you|to your)"),
        (0.65, r"do you (?:walk|get the bus|cycle|bike|go|get) (?:home|to school)(?: from school| alone| on your own| by yourself)?"),
        (0.5, r"{YOU_ARE} (?:you )?(?:near|close to) (?:the )?(?:[^ ]+ )?(?:library|station|bus stop|park|shops|school|cinema)"),
        (0.6, r"where do you (?:hang out|go|chill|spend time) (?:after school|at weekends|on weekends|after class)"),
        (0.6, r"how far (?:are you|do you live|is your (?:house|place|home|school)|away are you) (?:from|to)"),
        (0.55, r"(?:near|close to|far from) (?:which|what) (?:city|town|station)"),
        (0.6, r"where ?abouts(?: are you| do you| in| is| \?|$)"),
        (0.55, r"(?:your|is your) (?:house|home|school|flat|place) (?:near|close to|by|far from|next to)"),
    ],
}

# Benign contexts: what makes a match far less likely to be grooming. Each context has a pattern, the
# tactics it discounts (multiplying their confidence) and whether it colours the rest of the conversation
# (a surprise party planned three messages ago still explains "keep it secret") or only its own message.
# These come from the hard negatives the research and moderators keep meeting: surprises, a child's own
# mishap, spoilers, a photo of the homework, a group project, a parent's logistics, a coach's practice.
CONTEXTS: dict[str, tuple[str, dict[str, float], bool]] = {
    "surprise": (
        r"surprise|party|present for|gift for|birthday present|christmas present|"
        r"(?:mums|moms|dads|nans|grans|grandmas|grandads|her|his|their) (?:birthday |christmas |anniversary )?(?:present|gift|card|party|cake)|proposal|propose|baby shower|"
        r"her birthday|his birthday|their birthday|anniversary|(?<!gift )card for|the cake|secret santa|who you got",
        {"secrecy": 0.15, "gifts_offers": 0.5, "isolation_exclusivity": 0.5}, True),
    "mishap": (
        r"i (?:broke|lost|failed|forgot|ate|spilled|spilt|crashed|dropped|skipped|missed|smashed|cracked|burned|"
        r"burnt|ripped|stained|scratched|dented|wrecked|ruined|deleted|bunked|snuck|sneaked|took|borrowed|used|"
        r"spent|stayed out|went out|skipped|got detention)|i let you|"
        r"we (?:broke|lost|ate|spilled|smashed|wrecked|ruined)|(?:the|my|her|his) (?:vase|window|lamp|phone screen|"
        r"screen|mug|plate|glass|tv)|detention|report card|bad grade|failed (?:the|my)|(?:my|our|a) crush|crush on|"
        r"i like (?:him|her|someone|somebody|a (?:boy|girl))|someone in my (?:class|year|form)|fancies|fancy (?:him|her)|likes (?:him|her|you)|"
        r"(?:broke|smashed|cracked|spilled|spilt|wrecked|ruined|dented|scratched|stained|ripped|lost|dropped) "
        r"(?:the|my|mums|moms|dads|her|his|your|our|a|their)",
        {"secrecy": 0.25, "guilt_pressure": 0.5}, True),
    "spoiler": (
        r"spoilers?|the ending|the finale|who wins|the plot|the twist|the episode|the season|the score|the killer|"
        r"who dies|who did it|the book|the film|the movie|the show|the series|the last chapter|episode|"
        r"what happens (?:at|in) the end|what happens next|the answers?|the results?|the grades?|"
        r"(?:tell|show|give) (?:anyone|anybody|them|him|her|people|everyone) the (?!pictures|photos|pics|messages|chats|videos)[a-z]+",
        {"secrecy": 0.2}, False),
    "object_photo": (
        r"(?:pictures?|photos?|pics?|selfies?|videos?|scans?|screenshots?|images?) of (?:the|your|my|a|an|this|that|his|"
        r"her|their|our|these|those)(?: new| old| signed| finished| whole| little)? (?!face|body|outfit|room|"
        r"bedroom|legs|self|yourself|you|bed|pyjamas|pajamas|hair|lips|eyes|figure|feet|skin|chest|underwear|"
        r"swimsuit|bikini|clothes|top|mirror)[a-z]+|(?:the|that|this) (?:[a-z]+ )?(?:meme|video|clip|tiktok|reel|link)|"
        r"(?:pictures?|photos?|pics?|scans?|copy) of (?:it|them|that|this)|"
        r"(?:pictures?|photos?|pics?|videos?) from (?:the|sports|school|today|yesterday|last|our|my|your|her|his)",
        {"photo_camera_request": 0.25}, False),
    "schoolwork": (
        r"homework|notes|worksheet|assignment|answers|timetable|schedule|revision|essay|slides|chapter|"
        r"permission slip|the slip|consent form|the form|register|science group|study group|group project|"
        r"class chat|group chat|the group|project|coursework|exam|test on|teacher said|to finish (?:it|the|our)|"
        r"work on (?:it|the|our)|study|revise|revising",
        {"photo_camera_request": 0.3, "platform_move": 0.35, "meeting_request": 0.5, "location_probing": 0.6}, False),
    "team": (
        r"practice|training|rehearsal|fixture|the match|kick off|kickoff|the game on|tournament|tryouts|"
        r"the pitch|the field|the court|the pool|the rink|the gym|club|squad|the team|with the team|kit|team chat|"
        r"[a-z]+ team|"
        r"changing rooms|the coach|minibus|the tour",
        {"meeting_request": 0.4, "platform_move": 0.5, "location_probing": 0.6, "photo_camera_request": 0.6}, False),
    "household": (
        r"stuck in traffic|on my way|running late|be home by|be back (?:at|by)|dinner|tea is|pasta|fridge|"
        r"the washing|the dog out|feed the|inhaler|pe kit|lunch money|money for lunch|lock the door|tidy your room|"
        r"bed time|bedtime|school run|i am outside school|your dad will|your mum will|your mom will|home yet|"
        r"back from school yet|you back yet|get home safe|got home safe|home safe|"
        r"(?:mum|mom|dad|nan|grandma|grandad|my parents) (?:can|will|could|wants to|needs to) (?:pick|get|collect|drive|sort)|"
        r"(?:gran|nan|nana|grandma|granny|grandad|grandpa|auntie [a-z]+|uncle [a-z]+|dad|mum|mom|your dad|your mum|your mom) "
        r"(?:is|will be|s|can|will) (?:picking|collecting|getting|fetching|pick|collect|get|fetch) (?:you|u) (?:up|from)|"
        r"(?:give you|get|sort|need) a lift|left (?:her|his|their|your|my) (?:keys|bag|phone|coat|jacket|purse|wallet)|"
        r"(?:drop|bring|return|give|hand) (?:back )?(?:her|his|their|your mums|your dads|the) (?:keys|bag|phone|coat|jacket|purse|wallet|parcel|book|dish|tupperware)|"
        r"so (?:i|we) know (?:you are|you re|youre|you got|you have got|you made it) (?:ok|okay|safe|alright|fine|home|there)|"
        r"(?:it is|its|this is|i am) [a-z]+s (?:mum|mom|dad|nan|grandma|gran|grandad|auntie|uncle)\b|"
        r"(?:[a-z]+s|her|his|their) (?:parents|mum|mom|dad|mums|dads) (?:there|home|in|around|with you)|how was (?:the |your )?(?:sleepover|party|trip|day|school)",
        {"risk_assessment": 0.3, "meeting_request": 0.45, "location_probing": 0.5, "photo_camera_request": 0.6,
         "gifts_offers": 0.5, "flattery_special_relationship": 0.6}, True),
    # Family: the people in the chat are relatives (kin named as shared, the child answering "yes mum").
    "family": (
        r"dad is on his way|mum is on her way|mom is on her way|grandma|grandad|granny|grandpa|nana|nan s|"
        r"auntie|aunty|uncle [a-z]+|little cuz|cousins?|(?:at |to |with |till |til |until )?(?:gran|grans|nans)(?: s)?(?= |$)|nephews?|nieces?|grandkids|grandchildren|grandsons?|granddaughters?|yes mum|yes mom|yes dad|ok mum|ok mom|ok dad|thanks mum|"
        r"thanks mom|thanks dad|thanks nan|love you too|love you mum|love you mom|love you dad|love you lots|"
        r"love you see you|see you later love|night mum|night dad|hi mum|hi dad|mums phone|dads phone|"
        r"dads on his way|mums on her way|moms on her way|your mum s|tell your mum we|give your mum|we miss you|"
        r"come and visit|family (?:dinner|lunch|party)|sunday lunch|(?:ok|okay|yes|bye|night|thanks) love you|"
        r"(?:your|my|our) (?:nan|nana|gran|granny|grandma|grandad|grandpa|grandparents|aunt|auntie|aunty|uncle|"
        r"cousins?|niece|nephew|stepdad|stepmum|stepmom)|(?:aunt|auntie|aunty|uncle|cousin|nan|nana|grandma|"
        r"grandad) [a-z]+ (?:says|said|is|was|will|sends|wants)|(?:say hi|say hello|give (?:a |my )?love|"
        r"send (?:my )?love) to (?:your|ur) (?:mum|mom|dad|parents|brother|sister|nan|gran)|"
        r"tell (?:your|ur) (?:mum|mom|dad|parents) (?:i said|we|that we|thanks)|(?:at|to) (?:nan|nana|gran|grandma|grandads?)s|"
        r"christmas (?:dinner|day|at)|boxing day|family (?:holiday|trip|gathering|get together|wedding)|"
        r"(?:it is|its|this is)? ?(?:your )?(?:dad|daddy|mum|mummy|mom|mommy) here|"
        r"my (?:favourite |favorite |little |big |only |lovely )?(?:nephew|niece|grandson|granddaughter|godson|goddaughter)|"
        r"when you were (?:a baby|little|tiny|small|born|this (?:tall|big|high|small))|"
        r"(?:hi|hey|hiya|night|morning|bye|thanks|thank you|love you|miss you|ok|okay) (?:daddy|mummy|mommy|dad|mum|mom)(?: x+)?(?: \.| !| \?)?$|"
        r"^(?:mum|mom|dad|mummy|daddy|mama|papa|nan|nana|gran|grandma|grandad|grandpa)(?: x+| !+| \?| \.| ffs| pls| please)?$|"
        r"little (?:cuz|cousin|bro|sis|one)|big (?:cuz|cousin|bro|sis)|(?:hey|hi|hiya|yo|night|bye|thanks|ok|okay) "
        r"(?:cuz|coz|cousin|kiddo|niece|nephew|uncle [a-z]+|auntie [a-z]+|aunt [a-z]+|nan|grandma|grandad)|"
        r"(?:it is|this is|its) (?:your )?(?:cousin|uncle|auntie|aunt|aunty|nan|grandma|grandad)|"
        r"(?:your|ur) (?:mum|mom|dad|parents) (?:says|said|told me|asked me|wants|is coming|are coming)|"
        r"(?:mum|mom|dad) (?:says|said) (?:i can|you can|it is ok|its ok|yes)|"
        r"(?<!my )(?<!your )(?<!ur )(?<!his )(?<!her )(?:mum|mom|dad) (?:said|says|told me|asked me to|wants me to) (?:that )?you\b|"
        r"(?:at|for|since) (?:christmas|easter|thanksgiving|diwali|eid|hanukkah|the wedding|the family|the barbecue|"
        r"the bbq|nans|grandmas|grandads|the reunion)|"
        r"(?:your|ur) (?:mums|moms|dads|mum s|mom s|dad s|mothers|fathers) (?:brother|sister|cousin|uncle|aunt|husband|partner)|"
        r"(?:your|ur|my) (?:godfather|godmother|godparents?|godson|goddaughter|step ?brother|step ?sister|half ?brother|half ?sister)|"
        r"(?:uncle|auntie|aunty|cuz|coz|cousin|nana|nanna|grandma|grandad|grandpa|granny|gramps|grandpa|godmother|godfather)"
        r"(?: [a-z]+)?(?: x+| xx| lol| haha)?(?: \.| \?| !)?$|"
        r"our (?:mum|mom|dad|nan|nana|gran|grandma|grandad|kid|house|uncle|auntie|cousins?)\b|"
        r"(?:mum|mom|dad|mums|moms|dads) (?:side|sister|brother) |(?:your|ur|my) (?:mum|mom|dad|mums|moms|dads) "
        r"(?:birthday|phone died|asked me to|set this up|gave me)",
        {"risk_assessment": 0.3, "meeting_request": 0.45, "location_probing": 0.5, "photo_camera_request": 0.5,
         "gifts_offers": 0.5, "flattery_special_relationship": 0.6, "platform_move": 0.6, "secrecy": 0.7}, True),
    # Classmates: the two know each other from school ("it's Finn from science", "everyone in our year").
    # Like family cues, it keeps the weighting of the whole conversation down for a while (engine).
    "schoolmates": (
        r"in (?:our|the same) (?:year|class|form|tutor group|school)|(?:from|in) (?:science|maths|math|english|"
        r"history|geography|french|spanish|art|music|drama|pe|form|registration|my class|your class|my form|"
        r"your form|tutor group)(?: class| lesson)?(?: \.| \?| !|$| remember| yeah| lol| btw| today)|"
        r"(?:sit|sat|sits) (?:next to|behind|near) (?:you|me) in|see you (?:at|in) (?:school|class|form|registration)|"
        r"(?:at|in) (?:school|class|form) (?:today|tomorrow|yesterday)|our (?:form tutor|maths teacher|science teacher|"
        r"english teacher|teacher|head of year)",
        {"secrecy": 0.8, "platform_move": 0.7, "meeting_request": 0.7, "location_probing": 0.7}, True),
    # The adult wants the parents in on it: asking after them to speak to them is not testing for absence.
    "parent_involved": (
        r"(?:ask|talk to|speak to|speak with|talk with|call|ring|phone|check with|run it by|run it past) "
        r"(?:them|your (?:mum|mom|dad|parents|folks|carer|guardian))(?: first| about| if| whether| before| for me)|"
        r"(?:put|get) your (?:mum|mom|dad) on|(?:can|could) i (?:speak|talk) to your (?:mum|mom|dad|parents)|"
        r"(?:tell|ask) your (?:mum|mom|dad|parents) to (?:call|ring|text|message) me|"
        r"my (?:mum|mom|dad|parents|family|big sister|big brother) (?:takes|will take|can take|would take|could take|is taking|"
        r"will bring|brings|drives|will drive|will be there|would come|will come|can come|comes|is coming)|"
        r"(?:your|ur) (?:mum|mom|dad|parents) (?:can|could|would|should|is welcome to|are welcome to) (?:def )?(?:come|bring you|take you|drive you)|"
        r"bring (?:your|ur) (?:mum|mom|dad|parents)|with (?:my|our) (?:mum|mom|dad|parents|family)|"
        r"(?:send|give|email|tell|show) (?:your|ur) (?:mum|mom|dad|parents) (?:the |some |a few |a |all the )?(?:details|address|info|information|form|times?|link|"
        r"photos?|pictures?|pics?|videos?)|(?:your|ur) (?:mum|mom|dad|parents) (?:has|have|got) my (?:number|details|email)|"
        r"(?<!do )(?<!does )(?<!would )(?<!will )(?<!if )(?<!did )your (?:mum|mom|dad|parents) (?:knows|is fine with|are fine with|"
        r"said (?:it is|its) (?:fine|ok)|said ok|said yes)(?! \?)",
        {"risk_assessment": 0.3, "meeting_request": 0.5, "secrecy": 0.5, "photo_camera_request": 0.3}, False),
    # Paying back or returning what was lent is not an offer.
    "repayment": (
        r"(?:pay|paying|give|giving|bring|send|sending|hand) (?:[^ ]+ ){1,3}back|"
        r"owe (?:you|me) (?:\d+|money|a fiver|a tenner)|lend me|borrow",
        {"gifts_offers": 0.3, "guilt_pressure": 0.5}, False),
    # Children trading items, or plans made for a whole group, are not offers or a meeting alone.
    "trade": (
        r"trade|trading|swap|swapping|swop|for yours",
        {"gifts_offers": 0.4}, False),
    "group_plan": (
        r"with everyone|with the others|the whole (?:group|class|team|gang)|everyone is coming|"
        r"everyones coming|with the (?:group|class|team|gang|squad)|(?:loads|lots|a few|a bunch|a group|all|some|most|both) of us|"
        r"(?:play|game|gaming|squad up|party up|team up|duo|join) with (?:your |my |our |the )?(?:cousins?|brothers?|sisters?|"
        r"uncle [a-z]+|auntie [a-z]+|dad|mum|mom|friends|mates|others|everyone|family|group|squad|team|whole [a-z]+)",
        {"meeting_request": 0.4, "platform_move": 0.6, "location_probing": 0.6}, False),
    # Secrecy only for now, with the news to come out soon ("don't tell anyone yet", "I'll tell her myself
    # tonight"): grooming asks for a secret kept for good.
    "temporary": (
        r"(?:tell|telling|mention|say anything to) (?:anyone|anybody|everyone|people|the others|our friends|them) yet|"
        r"(?:i will|i am going to|i am gonna|we will|i can|let me|i want to) (?:tell|explain|show) (?:it to )?"
        r"(?:her|him|them|mum|mom|dad|everyone|everybody|people|my mum|my mom|my dad|your mum|your mom|your dad)"
        r"(?: it| about it| that)? (?:myself|tonight|later|tomorrow|soon|first|at the weekend|when|after)|"
        r"(?:until|till|before) (?:i|we) (?:tell|told|have told|explain|say)",
        {"secrecy": 0.5}, False),
    # Others invited along: an offer of company, not someone being cut off or met alone.
    "others_invited": (
        r"(?:bring|invite|ask|come with|with) (?:[a-z]+ and [a-z]+|your (?:friends?|mates?|sister|brother|cousins?)|"
        r"some (?:friends|mates|people)|a (?:friend|mate)|the others|everyone|others|our (?:friends|mates))(?: too| as well| along| \?|$| or| if)|"
        r"or we can bring|or bring|or invite",
        {"isolation_exclusivity": 0.35, "meeting_request": 0.6}, False),
    # Don't tell someone about a gift meant for them: a surprise, whoever it is kept from.
    "gift_for_them": (
        r"(?:give|show|surprise) (?:it|them|this|that) to (?:her|him|them)|(?:want|going|gonna) to (?:give|surprise) "
        r"(?:her|him|them)|(?:is|are|it is|its) (?:hidden|wrapped)|(?:got|bought|ordered|booked) (?:[^ ]+ ){0,2}for (?:her|him|them|your "
        r"(?:mum|mom|dad|sister|brother|nan|gran|grandma|grandad))",
        {"secrecy": 0.2, "gifts_offers": 0.5}, False),
    # Good news a child wants to tell in their own time is not a secret kept for someone.
    "good_news": (
        r"i passed|i won|we won|i got the part|i got picked|i got into|i got a job|got engaged|"
        r"i got selected|i made the team",
        {"secrecy": 0.2}, False),
    "lesson": (
        r"lesson|tutoring|tutor|the session|our session|when we start|class starts|your working|show your working|"
        r"you are working|whiteboard|the board|share your screen|screen share|the piece|piano|guitar|violin|drums|"
        r"singing|scales|recital|grade \d+ exam|"
        r"page \d+|question \d+|exercise \d+|worksheet|algebra|maths|math|science|physics|chemistry|biology|"
        r"geography|history|french|spanish|english homework|reading log|spelling",
        {"photo_camera_request": 0.3, "flattery_special_relationship": 0.6}, False),
    "skill_praise": (
        r"(?:good|great|talented|amazing|brilliant|gifted|so good|really good) at [a-z]+|great work|well done|"
        r"good job|well played|nice work|great effort|proud of (?:you|the team)",
        {"flattery_special_relationship": 0.5}, False),
    "known_contact": (
        r"(?:number|username|user name|address|snap|snapchat|handle|email|live|house) again|new phone|"
        r"changed (?:my|your) number|lost (?:your|my) number|drop (?:the|your|it|them) (?:[a-z]+ )?off|"
        r"i can drop|to return|give (?:it|them) back",
        {"platform_move": 0.3, "location_probing": 0.3}, False),
    "birthday_peer": (
        r"hbd|happy birthday|for your birthday|for ur birthday|your bday|for your bday",
        {"gifts_offers": 0.55}, False),
    "banter": (
        r"lol|lmao|haha+|hehe|jk|just kidding|joking|kidding|rematch|noob|in the game|gg",
        {"threats_sextortion": 0.3, "guilt_pressure": 0.6}, False),
}

# Flexible word order: a tactic shown by words that occur together in a short stretch of a message (within
# COOCCURRENCE_WINDOW words), in any order and with anything between them ("ur mom would freak if she knew
# so dont" has no fixed phrasing, but "mom" + "knew" + "freak" is the fear of a parent finding out). Each
# rule is a few groups of alternative words; every group must be present. They back up the phrase patterns
# for wording nobody wrote a pattern for, so their confidences stay modest (below the 0.5 of a strong cue),
# and they count only where no phrase pattern of the same tactic matched. "#" stands for any number.
_KIN = "parents parent mum mom dad mummy mommy mother father folks family carer carers guardian brother sister"
_ANYONE = "anyone anybody nobody everyone everybody friends mates people teachers " + _KIN
_APPS = ("snapchat whatsapp instagram insta telegram kik discord signal wickr skype viber wechat tiktok "
         "facetime messenger threema")
_GIFTS = ("robux vbucks money cash bucks quid dollars pounds skin skins subscription sub nitro "
          "coins gems credit topup iphone airpods gift gifts present presents minecoins voucher vouchers")
COOCCURRENCE_WINDOW = 10
COOCCURRENCE: dict[str, list[tuple[float, tuple[str, ...]]]] = {
    "age_identity_probing": [
        (0.45, ("age born", "your you", "?")),
        (0.45, ("asking ask", "your", "age")),
        (0.45, ("turning turn turned", "you", "#")),
        (0.45, ("young old", "sound look seem", "you", "grade year school ?")),
        (0.4, ("younger", "you", "than")),
    ],
    "flattery_special_relationship": [
        (0.45, ("you", "fav favourite favorite", "person human girl boy")),
        (0.45, ("model models modelling modeling", "could should would", "you")),
        (0.45, ("mature grown", "too way so", "you", "age kids")),
    ],
    "gifts_offers": [
        (0.45, ("buy get send give gift cover pay venmo paypal transfer", "you your", _GIFTS)),
        (0.45, ("how", "many much", "robux vbucks money coins gems minecoins credit bucks", "need want")),
        (0.45, ("want", "yours", "is")),
        (0.45, ("got", "you", "little lil something present gift")),
    ],
    "secrecy": [
        (0.45, ("tell mention telling mentioning", _ANYONE, "not never")),
        (0.45, ("keep stay stays keeping", "this it that us chat chats messages", "secret private between low quiet hidden hush")),
        (0.45, ("freak kill mad angry flip lose", "knew know found find saw see", _KIN)),
        (0.45, ("never", "happened", "this convo conversation chat talk it")),
    ],
    "isolation_exclusivity": [
        (0.45, ("need", "not", "them friends anyone anybody people")),
        (0.45, ("jealous fake immature toxic childish losers", "they friends people them those family parents mates")),
        (0.45, ("need", "me", "only all", "you")),
        (0.45, ("care understand appreciate get love respect", "not never", _KIN + " they nobody mates friends",
                "you")),
        (0.45, ("stop quit", "hanging talking seeing", "them those friends mates her him")),
    ],
    "risk_assessment": [
        (0.45, (_KIN + " anyone anybody", "home asleep awake around away sleeping bed", "?")),
        (0.45, ("by", "yourself", "you are")),
        (0.45, ("on", "own", "are")),
        (0.45, ("walk walking barge", "in", "on")),
        (0.45, ("check checks look looks read reads see", _KIN, "phone texts messages chats screen")),
    ],
    "platform_move": [
        (0.45, (_APPS, "add move talk chat dm text message hmu follow switch same")),
        (0.45, ("am", "on", _APPS)),
        (0.45, ("add follow", "my", _APPS + " snap")),
        (0.45, ("different another other private better", "app site platform")),
    ],
    "photo_camera_request": [
        (0.45, ("camera facetime", "on turn go get hop jump call")),
    ],
    "meeting_request": [
        (0.45, ("meet hang link chill", "real person weekend saturday sunday tonight tomorrow somewhere mall "
                "park station cinema", "we us you me")),
        (0.45, ("pick", "you", "up")),
        (0.45, ("come drive visit", "your", "house school place town area flat")),
    ],
    "guilt_pressure": [
        (0.45, ("mean rude cold selfish horrible nasty", "being are", "me")),
        (0.45, ("care", "not never", "me")),
        (0.45, ("deal", "big", "just do it")),
    ],
    "threats_sextortion": [
        (0.5, ("leak expose spread", "screenshots pictures photos videos pics messages chats everything them it",
               "will going")),
        (0.5, ("post share send show forward upload", "everyone everybody online internet school parents friends",
               "will going", "screenshots pictures photos videos pics messages chats everything")),
        (0.5, ("regret", "going will", "you")),
        (0.45, ("be", "sorry", "you", "going will")),
        (0.4, ("your", "school friends parents family class", "see know find", "will going")),
    ],
    "body_relationship_steering": [
        (0.45, ("crush boyfriend girlfriend dating kissed", "you your", "?")),
    ],
    "location_probing": [
        (0.45, ("where", "stay live hang chill located based from", "you")),
        (0.4, ("near close", "you", "mall park station school shops library")),
    ],
}

# Words before a match that turn it around ("I would never ask you to keep secrets").
NEGATION_RE = re.compile(r"(?:^| )(?:never|not|no|would never|will never|should never|i would not|"
                         r"i will not|i do not want to|do not want to|i am not going to|not going to|"
                         r"you do not have to|you don't have to|no need to|you never have to|never have to|"
                         r"you should not have to|it is not ok to|it is not okay to|not ok to|not okay to) $")
_NEGATION_WINDOW = 40


# Words too common to tell tactics apart; never used as anchors for the prefilter.
COMMON_WORDS = frozenset("""
you your are the me to is it and of in on at do be my a an or so what how when who why can could will would
should have has had get got go going want like know think say one now here then this that these those with
for from up out if but all any some more very really too also as by we us our they them their he she his her
him was were been being am did does done make let yes ok oh well still even only ever way time day good
not no just""".split())


@dataclass(frozen=True, slots=True)
class CompiledTactics:
    """All patterns of all tactics, compiled into one alternation per tactic.

    ``anchors`` are the uncommon words of each tactic's patterns: a message with none of them can only
    match the tactic's ``loose`` patterns (those that can match without an anchor; None when there are none).
    """

    regexes: dict[str, re.Pattern[str]]
    confidences: dict[str, dict[str, float]]
    contexts: dict[str, tuple[re.Pattern[str], dict[str, float], bool]]
    vocabulary: frozenset[str]
    anchors: dict[str, frozenset[str]]
    loose: dict[str, re.Pattern[str] | None]
    context_anchors: dict[str, frozenset[str]]
    # Per pattern: each anchored pattern compiled alone (group name, regex), with its own anchor words, and
    # for every anchor word the (tactic, pattern number) pairs it can unlock. A message runs a tactic's
    # loose alternation plus only the anchored patterns whose own words occur in it.
    singles: dict[str, dict[int, re.Pattern[str]]] = None  # type: ignore[assignment]
    pattern_anchors: dict[str, dict[int, frozenset[str]]] = None  # type: ignore[assignment]
    word_patterns: dict[str, tuple[tuple[str, int], ...]] = None  # type: ignore[assignment]
    # (tactic, pattern number) -> further word groups that must each have a word in the message.
    requires: dict[tuple[str, int], tuple[frozenset[str], ...]] = None  # type: ignore[assignment]


def compile_tactics() -> CompiledTactics:
    from childsafe.conversation.sampling import always_contains

    regexes: dict[str, re.Pattern[str]] = {}
    confidences: dict[str, dict[str, float]] = {}
    anchors: dict[str, frozenset[str]] = {}
    loose: dict[str, re.Pattern[str] | None] = {}
    singles: dict[str, dict[int, re.Pattern[str]]] = {}
    pattern_anchors: dict[str, dict[int, frozenset[str]]] = {}
    word_lists: dict[str, list[tuple[str, int]]] = {}
    requires: dict[tuple[str, int], tuple[frozenset[str], ...]] = {}
    vocab: set[str] = set()
    for tactic, patterns in _P.items():
        parts, loose_parts = [], []
        conf: dict[str, float] = {}
        ordered = sorted(patterns, key=lambda cp: -cp[0])  # strongest first: it wins where several match
        sources = []
        for c, pat in ordered:
            src = _expand(pat)
            if re.search(r"\{[A-Z_0-9]+\}|\(\?:[A-Z]{3,}\)", src):
                raise ValueError(f"unexpanded macro in {tactic} pattern {pat!r}")
            sources.append((c, src))
            vocab.update(_words(src))
        tactic_anchors = frozenset(w for _, src in sources for w in _words(src)) - COMMON_WORDS
        singles[tactic], pattern_anchors[tactic] = {}, {}
        for i, (c, src) in enumerate(sources):
            name = f"p{i}"
            conf[name] = c
            parts.append(f"(?P<{name}>{src})")
            own = _prefer_longer(frozenset(_words(src)) - COMMON_WORDS, src, always_contains)
            if own and always_contains(src, own):
                # Where every match also holds a word of other groups (the words around a macro and the
                # macro's own: "tell" and a {PEOPLE} word), the pattern is unlocked by its smallest group
                # and run only when each other group has a word in the message too.
                primaries, extras = _required_groups(ordered[i][1], src, always_contains)
                primary = min(primaries or [own], key=len)
                extras = [g for g in primaries + extras if g != primary]
                singles[tactic][i] = _bounded([f"(?P<{name}>{src})"])
                pattern_anchors[tactic][i] = primary
                if extras:
                    requires[(tactic, i)] = tuple(extras)
                for w in primary:
                    word_lists.setdefault(w, []).append((tactic, i))
            else:
                loose_parts.append(f"(?P<{name}>{src})")
        regexes[tactic] = _bounded(parts)
        loose[tactic] = _bounded(loose_parts) if loose_parts else None
        confidences[tactic] = conf
        anchors[tactic] = tactic_anchors
    contexts = {}
    context_anchors = {}
    for name, (p, factors, conv) in CONTEXTS.items():
        src = _expand(p)
        contexts[name] = (_bounded([src]), factors, conv)
        words = frozenset(_words(src)) - COMMON_WORDS
        if not always_contains(src, words):
            # Some matches hold only common words ("i let you", "who you got"): anchor on all its words.
            words = frozenset(_words(src))
        # A context whose matches might lack every anchor word is looked for in every message.
        context_anchors[name] = words if always_contains(src, words) else frozenset()
    for src in MACROS.values():
        vocab.update(_words(src))
    return CompiledTactics(regexes, confidences, contexts, frozenset(vocab), anchors, loose, context_anchors,
                           singles, pattern_anchors, {w: tuple(v) for w, v in word_lists.items()}, requires)


_GAP_MACROS = frozenset({"G1", "G2", "G3", "G4", "G6"})


def _prefer_longer(words: frozenset[str], src: str, always_contains) -> frozenset[str]:
    """Anchors of three letters or more where those always occur: two-letter ones ("re", "th", "ur")
    are inside almost every message and would unlock a pattern everywhere."""
    longer = frozenset(w for w in words if len(w) >= 3)
    if longer and longer != words and always_contains(src, longer):
        return longer
    return words


def _required_groups(pattern: str, src: str, always_contains) -> tuple[list[frozenset[str]], list[frozenset[str]]]:
    """Groups of words each of which every match of the pattern contains: the words outside its macros,
    and each macro's words, kept where sampling shows every match holds one of them. Groups of uncommon
    words can unlock the pattern; groups that need common words ("them", "you") only confirm it."""
    candidates = [frozenset(_words(_expand(_MACRO_RE.sub(" ", pattern))))]
    for macro in sorted(set(_MACRO_RE.findall(pattern)) - _GAP_MACROS):
        candidates.append(frozenset(_words(_expand("{" + macro + "}"))))
    primaries: list[frozenset[str]] = []
    extras: list[frozenset[str]] = []
    for words in candidates:
        strict = _prefer_longer(words - COMMON_WORDS, src, always_contains)
        if strict and always_contains(src, strict):
            if strict not in primaries:
                primaries.append(strict)
        elif words and always_contains(src, words) and words not in extras:
            extras.append(words)
    return primaries, extras


def _bounded(parts: list[str]) -> re.Pattern[str]:
    return re.compile(r"(?<![a-z0-9])(?:" + "|".join(parts) + r")(?![a-z0-9])")


def _words(regex_source: str) -> set[str]:
    """The literal words of a pattern; an optional letter splits a word ("parents?" gives "parent")."""
    cleaned = re.sub(r"\\[a-zA-Z]|\(\?P<[a-z0-9]+>|\(\?[:!=<]+|[a-z]\?", " ", regex_source)
    return set(re.findall(r"[a-z]{2,}", cleaned))
