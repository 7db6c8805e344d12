"""Hand-written parts for the mini-HH *helpful* subset (written for this project).

Each topic has: a category, several hand-written phrasings of the user's question, one full good
answer, two short topic-specific bad answers (vague, wrong or unhelpful), optional follow-up turns
``(question, good answer, bad answer)`` used to build multi-turn conversations, and two parts that
keep answer length from giving the preference away:

- ``short``: a brief (one or two sentence) answer that is still correct and helpful;
- ``long_bad``: a long (two to four sentence) bad answer of about the same length as the full good
  answer: plausible-sounding but wrong, rambling off-topic, evasive, or padded with filler.

``generate.py`` combines these parts into preference pairs.
"""


def T(cat, qs, good, bad, follow=None, *, short, long_bad):
    return {
        "cat": cat,
        "qs": qs,
        "good": good,
        "bad": bad,
        "follow": follow or [],
        "short": short,
        "long_bad": long_bad,
    }


TOPICS = [
    # ---------------------------------------------------------------- cooking
    T(
        "cooking",
        [
            "How do I cook rice so it isn't mushy?",
            "My rice always comes out sticky and soggy. What am I doing wrong?",
            "What's a reliable way to make fluffy white rice on the stove?",
        ],
        "Rinse the rice in cold water until the water runs mostly clear, which removes surface starch. "
        "Use about 1.5 cups of water per cup of long-grain white rice, bring it to a boil, then cover and "
        "simmer on low for 15 to 18 minutes. Take it off the heat and let it rest, still covered, for 10 "
        "minutes before fluffing with a fork. Avoid lifting the lid or stirring while it cooks.",
        [
            "Just add a lot of water and boil it hard for about 40 minutes, stirring the whole time.",
            "Rice is tricky. Some people are good at it and some aren't.",
        ],
        [
            (
                "What if I'm using brown rice instead?",
                "Brown rice needs more water and more time because the bran layer is still on. Try about 2 to "
                "2.25 cups of water per cup of rice and simmer for around 40 to 45 minutes, then rest it for 10 "
                "minutes covered.",
                "It's basically the same, just follow the white rice steps.",
            )
        ],
        short="Rinse the rice first, then simmer about 1.5 cups of water per cup of white rice, "
        "covered, for 15 to 18 minutes and let it rest before fluffing.",
        long_bad="The secret is to treat rice like pasta. Fill a big pot with water, boil it as "
        "hard as you can and keep stirring for about half an hour so the grains don't "
        "settle. Stirring releases the extra starch, so the more you stir, the fluffier "
        "it gets. Drain it well and it should come out perfect.",
    ),
    T(
        "cooking",
        [
            "How can I tell when chicken is cooked all the way through?",
            "What's the safest way to check that chicken is done?",
            "I'm never sure if my chicken is cooked. How do I know for sure?",
        ],
        "The most reliable check is a meat thermometer: chicken is safe when the thickest part reaches "
        "165°F (74°C). Insert the probe into the thickest part without touching bone. Without a "
        "thermometer, the juices should run clear and the meat should not be pink or translucent in the "
        "center, but a thermometer is much more dependable.",
        [
            "If the outside is brown, it's done.",
            "Just cook it until it smells right. You'll get a feel for it.",
        ],
        [
            (
                "Can I reuse the plate the raw chicken was on?",
                "Not without washing it first. Raw chicken can carry bacteria like salmonella, so put cooked "
                "chicken on a clean plate, or wash the original one with hot soapy water before reusing it.",
                "Sure, the heat already killed everything, so it doesn't matter.",
            )
        ],
        short="Use a meat thermometer: chicken is done when the thickest part reads 165°F (74°C).",
        long_bad="Honestly, the color of the skin tells you everything you need to know. Once the "
        "outside is a deep golden brown, the inside has almost always caught up, and "
        "cutting into it just lets the juices escape. Good cooks rarely bother with "
        "thermometers, so trust your eyes and take it out when it looks done.",
    ),
    T(
        "cooking",
        [
            "What can I use instead of eggs in baking?",
            "I ran out of eggs halfway through a muffin recipe. Is there a substitute?",
            "Is there a vegan replacement for eggs in cakes?",
        ],
        "It depends on what the egg is doing, but for most muffins and cakes these work well per egg: "
        "a 'flax egg' (1 tablespoon ground flaxseed mixed with 3 tablespoons water, rested 5 minutes), "
        "1/4 cup unsweetened applesauce, or 1/4 cup mashed ripe banana. Applesauce and banana add "
        "moisture and a little sweetness, so they suit muffins and quick breads best.",
        [
            "You can just leave the eggs out, it won't make any difference.",
            "There isn't really a substitute for eggs. You'd have to go buy some.",
        ],
        [],
        short="For each egg, try a flax egg (1 tablespoon ground flaxseed plus 3 tablespoons "
        "water) or 1/4 cup of applesauce or mashed banana.",
        long_bad="Eggs are such an interesting ingredient when you think about it. People have "
        "kept chickens for thousands of years, and every culture seems to have its own "
        "favorite egg dish, from omelets to custards. Muffins have a fascinating history "
        "too, going back to old English tea shops. Anyway, baking is really all about "
        "experimenting and having fun.",
    ),
    T(
        "cooking",
        [
            "How long do leftovers last in the fridge?",
            "Is it safe to eat leftovers from five days ago?",
            "How many days can I keep cooked food in the refrigerator?",
        ],
        "A common food-safety guideline is to eat cooked leftovers within 3 to 4 days if they were "
        "refrigerated promptly, ideally within two hours of cooking. After that the risk of bacterial "
        "growth goes up even if the food looks and smells fine. If you want to keep something longer, "
        "freeze it, and when in doubt, throw it out.",
        [
            "Leftovers are good for about two weeks as long as they don't smell bad.",
            "It's hard to say. It depends on a lot of things.",
        ],
        [
            (
                "Does freezing kill the bacteria?",
                "No, freezing mostly pauses bacteria rather than killing them. Once the food thaws they can "
                "start growing again, so thaw it in the fridge and reheat it until it's steaming hot.",
                "Yes, freezing kills everything, so frozen food never goes bad.",
            )
        ],
        short="About 3 to 4 days if they went into the fridge promptly; freeze anything you want "
        "to keep longer.",
        long_bad="As long as the fridge is cold, leftovers are fine for at least a week or two. "
        "Bacteria basically stop growing below room temperature, so the day you cooked "
        "it matters much less than people think. The smell test is very reliable here: "
        "if it smells normal and looks normal, it is safe to eat.",
    ),
    T(
        "cooking",
        [
            "How do I keep pasta from sticking together?",
            "Why does my spaghetti always clump up?",
            "Any tips for cooking pasta so it doesn't turn into one big lump?",
        ],
        "Use plenty of water, roughly 4 liters for a pound of pasta, and make sure it's at a full "
        "rolling boil before you add the pasta. Stir during the first minute or two, when sticking "
        "usually happens. Salt the water for flavor, skip the oil (it makes sauce slide off), and toss "
        "the drained pasta with sauce right away.",
        [
            "Add a lot of oil to the water. That's the only thing that works.",
            "Pasta just sticks sometimes, there's not much you can do.",
        ],
        [],
        short="Use a big pot of water at a full rolling boil and stir during the first couple of "
        "minutes.",
        long_bad="That's a really common issue and a lot of people run into it, so you're "
        "definitely not alone. There are many different things that can affect pasta, "
        "and everyone's kitchen is a little bit different. It's worth thinking about "
        "your whole process and seeing what works for you. With enough practice you'll "
        "find your own way of doing it.",
    ),
    T(
        "cooking",
        [
            "What's the difference between baking soda and baking powder?",
            "Can I use baking powder instead of baking soda?",
            "Why do some recipes use baking soda and others baking powder?",
        ],
        "Baking soda is pure sodium bicarbonate and needs an acid in the recipe, such as buttermilk, "
        "yogurt or lemon juice, to react and make the batter rise. Baking powder already contains "
        "baking soda plus a dry acid, so it only needs moisture and heat. You can sometimes swap them, "
        "but you need about three times as much baking powder to replace baking soda, and the flavor "
        "can change.",
        [
            "They're the same thing with different names.",
            "It doesn't really matter which one you use.",
        ],
        [
            (
                "What happens if I use too much baking soda?",
                "Too much baking soda can leave a soapy or metallic taste and make baked goods brown too "
                "quickly. They may also rise fast and then collapse.",
                "Nothing, more baking soda just makes things fluffier.",
            )
        ],
        short="Baking soda needs an acid in the recipe to rise, while baking powder brings its "
        "own acid; to swap, use about three times as much powder.",
        long_bad="They're basically interchangeable, since both are just white powders that make "
        "things rise. The only real difference is the brand and the packaging, so use "
        "whichever you have in the cupboard in exactly the same amount. Recipes only "
        "name one or the other out of habit, and nobody will taste the difference.",
    ),
    T(
        "cooking",
        [
            "How do I make a simple salad dressing at home?",
            "What's an easy homemade vinaigrette?",
            "I want to stop buying bottled dressing. How do I make my own?",
        ],
        "A basic vinaigrette is about three parts oil to one part acid. For example, whisk 3 tablespoons "
        "olive oil with 1 tablespoon vinegar or lemon juice, a pinch of salt and pepper, and half a "
        "teaspoon of mustard, which helps it stay mixed. Add a little honey or garlic if you like. It "
        "keeps in a jar in the fridge for about a week; shake before using.",
        [
            "Just pour some oil on the salad.",
            "Homemade dressing is complicated. Bottled is easier.",
        ],
        [],
        short="Whisk three parts oil with one part vinegar or lemon juice, plus salt, pepper and "
        "a little mustard.",
        long_bad="Salads have come a long way in the last few decades. It used to be iceberg "
        "lettuce and not much else, but now you find kale, arugula and all sorts of "
        "grains in them. Some people even put fruit in salads, which is a fun twist. "
        "Restaurants keep coming up with new combinations, so eating out is a great way "
        "to get ideas.",
    ),
    T(
        "cooking",
        [
            "How do I sharpen a kitchen knife?",
            "My chef's knife is dull. What's the best way to sharpen it?",
            "What's the right way to use a sharpening stone?",
        ],
        "A whetstone gives the best results. Soak or wet it as the stone's instructions say, hold the "
        "blade at about a 15 to 20 degree angle, and draw the edge across the stone from heel to tip "
        "several times, then repeat on the other side. Start on the coarser grit and finish on the fine "
        "side. Between sharpenings, a honing steel realigns the edge and keeps it cutting well.",
        [
            "Just rub it on any rough surface, like the sidewalk.",
            "Knives don't really need sharpening if you buy a good one.",
        ],
        [],
        short="Draw the blade across a wet whetstone at about 15 to 20 degrees, coarse side first "
        "and then fine, on both sides.",
        long_bad="The fastest way is to hold the blade almost flat against any rough surface and "
        "scrub it back and forth with firm pressure. A steeper angle just wastes metal, "
        "so keep it as flat as you can. The harder you press, the sharper the edge gets, "
        "and you only need to do one side because the other side sharpens itself.",
    ),
    T(
        "cooking",
        [
            "Why did my bread not rise?",
            "My homemade bread came out dense and flat. What went wrong?",
            "What makes bread dough fail to rise?",
        ],
        "The usual causes are old or dead yeast, water that was too hot (above about 120°F or 49°C can "
        "kill yeast), a kitchen that was too cold, or not enough rising time. Too much salt touching the "
        "yeast directly can also slow it down. Test yeast by mixing it with warm water and a pinch of "
        "sugar; it should foam within about 10 minutes.",
        [
            "Bread just doesn't work sometimes. Try buying it instead.",
            "You probably didn't add enough flour. Add more flour next time and it will rise.",
        ],
        [
            (
                "How warm should the spot be for rising?",
                "Somewhere around 75 to 80°F (24 to 27°C) is ideal. An oven with just the light turned on "
                "often works well.",
                "Put it in a hot oven so it rises faster.",
            )
        ],
        short="Usually the yeast was old or killed by water that was too hot, or the dough didn't "
        "get enough warm rising time.",
        long_bad="Bread is one of those things where so many factors come together that it's "
        "almost impossible to say what happened. It could be the weather, your oven, the "
        "flour, the recipe, or just bad luck. Every baker has off days. I'd just try "
        "again sometime and see if it turns out better.",
    ),
    T(
        "cooking",
        [
            "How do you boil an egg so the yolk is firm but not green?",
            "What's the trick to perfect hard-boiled eggs?",
            "Why do my hard-boiled eggs have a gray ring around the yolk?",
        ],
        "The gray-green ring comes from overcooking. Put the eggs in a pot, cover them with cold water, "
        "bring it to a boil, then turn off the heat, cover, and let them sit for 10 to 12 minutes. Move "
        "them straight into ice water for a few minutes. That gives a firm yellow yolk, and the cold "
        "bath also makes them easier to peel.",
        [
            "Boil them for at least half an hour to be safe.",
            "The gray ring is normal and there's no way to avoid it.",
        ],
        [],
        short="Bring the eggs to a boil, then leave them covered off the heat for 10 to 12 "
        "minutes and chill them in ice water; the gray ring means overcooking.",
        long_bad="The gray ring actually means the eggs weren't fresh, so buy them from a better "
        "store. For a perfect yolk, boil the eggs hard for around twenty-five minutes so "
        "they cook evenly all the way through, then let them cool slowly in the hot "
        "water. Shocking them in cold water only makes the shell stick.",
    ),
    # ---------------------------------------------------------------- travel
    T(
        "travel",
        [
            "What should I pack for a weekend trip?",
            "I'm going away for two nights. Can you help me make a packing list?",
            "What do people usually forget to pack for a short trip?",
        ],
        "For a weekend, aim for a small bag: two or three tops, one pair of pants or a skirt, "
        "underwear and socks for each day plus one spare, sleepwear, a light jacket, and comfortable "
        "shoes. Add a toiletry bag, any medications, your phone charger, ID and payment cards. The "
        "things people forget most are chargers, medications and toothbrushes, so check those last.",
        ["Pack everything you own, just in case.", "I'm not sure, it depends where you're going."],
        [
            (
                "It's going to rain the whole time. What should I add?",
                "Add a compact umbrella or a rain jacket with a hood, shoes that can handle puddles, and a "
                "spare pair of socks. A plastic bag for wet clothes on the way home is handy too.",
                "Rain doesn't change anything, pack the same.",
            )
        ],
        short="Two or three tops, one pair of pants, underwear and socks plus a spare, "
        "toiletries, medications, your charger and ID.",
        long_bad="Packing is really personal, so it's hard for anyone else to tell you what to "
        "bring. Some people like to travel light and some like to be prepared for "
        "everything. It depends on your style, the weather, the place, and what you'll "
        "be doing there. Think about what matters to you and go from there.",
    ),
    T(
        "travel",
        [
            "How early should I get to the airport for an international flight?",
            "When should I arrive at the airport if I'm flying abroad?",
            "Is two hours before an international flight enough time?",
        ],
        "A common recommendation is to arrive about three hours before an international flight. That "
        "leaves time for check-in, bag drop, security and passport control, which can all have long "
        "lines. Check your airline's guidance, because some airports and busy travel days call for more "
        "time, and bag drop often closes about an hour before departure.",
        ["Thirty minutes is plenty for any flight.", "Whenever you want. They'll wait for you."],
        [],
        short="Aim for about three hours before an international flight, and check your airline's "
        "advice for that airport.",
        long_bad="An hour is usually more than enough, even for international flights. Security "
        "lines move much faster than they used to, and most airlines keep check-in open "
        "until just before boarding. If you check in online, you can really show up "
        "forty minutes ahead and walk straight to the gate.",
    ),
    T(
        "travel",
        [
            "How can I deal with jet lag?",
            "I'm flying across six time zones. How do I avoid feeling awful when I land?",
            "Any tips for getting over jet lag faster?",
        ],
        "Start shifting your sleep an hour or so toward the new time zone a few days before you leave. "
        "On the flight, drink water and go easy on alcohol. When you arrive, get outside in daylight and "
        "try to stay awake until a normal local bedtime; a short nap of 20 to 30 minutes is fine if you "
        "must. Your body usually adjusts by about a day per time zone crossed.",
        [
            "Just drink a lot of coffee and you won't notice it.",
            "There's nothing you can do about jet lag.",
        ],
        [
            (
                "Should I sleep on the plane?",
                "It depends on when you land. If you arrive in the morning, try to sleep on the plane. If you "
                "arrive in the evening, stay awake most of the flight so you're ready for bed.",
                "Never sleep on planes, it always makes jet lag worse.",
            )
        ],
        short="Shift your sleep toward the new time zone before you go, get daylight when you "
        "land, and stay up until local bedtime.",
        long_bad="Long flights can be a great chance to catch up on movies you've missed. Many "
        "airlines now have huge entertainment libraries, and some even offer Wi-Fi so "
        "you can keep working. Window seats are nice for the views, while aisle seats "
        "make it easier to stretch your legs. Choose whatever suits you best when you "
        "book.",
    ),
    T(
        "travel",
        [
            "What should I do if I lose my passport abroad?",
            "I think my passport was stolen while I'm traveling. What now?",
            "How do I replace a passport while I'm in another country?",
        ],
        "Report the loss or theft to the local police and get a copy of the report, since you'll often "
        "need it. Then contact your country's nearest embassy or consulate; they can issue a "
        "replacement or an emergency travel document. Bring another form of ID if you have one, "
        "passport photos, and your travel details. Having a photo or photocopy of your passport makes "
        "the process much quicker.",
        [
            "Just try to get on your flight home anyway, they usually let you through.",
            "There's nothing you can do, you'll have to stay there.",
        ],
        [],
        short="Report it to the local police, then contact your country's nearest embassy or "
        "consulate for a replacement or an emergency travel document.",
        long_bad="Don't worry too much, because airlines can usually look up your passport in "
        "their system. Just go to the airport with a photo of it on your phone and "
        "explain what happened at the check-in desk. Embassies are slow and mostly deal "
        "with visas, so contacting them only wastes a day of your trip.",
    ),
    T(
        "travel",
        [
            "How do I find cheap flights?",
            "What's the best way to save money on plane tickets?",
            "Are there tricks for getting cheaper airfare?",
        ],
        "Be flexible on dates if you can; flying midweek is often cheaper than on Fridays or Sundays. "
        "Use a fare-comparison site and set price alerts for your route, and check nearby airports too. "
        "For many routes, booking a month or two ahead works better than very early or very last "
        "minute. Watch out for baggage fees on budget airlines, which can erase the savings.",
        [
            "Always book at the very last minute, flights are always cheapest then.",
            "Flights are expensive, there's no way around it.",
        ],
        [],
        short="Be flexible with dates and airports, set fare alerts on a comparison site, and "
        "book a month or two ahead.",
        long_bad="The best trick is to always wait until the day before you fly. Airlines panic "
        "about empty seats and slash their prices at the last minute, so booking early "
        "just means paying full price. Searching from a private browser window also "
        "makes every fare drop by about half.",
    ),
    T(
        "travel",
        [
            "Do I need travel insurance?",
            "Is travel insurance worth buying for a one-week trip?",
            "What does travel insurance actually cover?",
        ],
        "It's often worth it, especially for international travel. Good policies cover emergency "
        "medical care abroad, which your regular health insurance may not, plus trip cancellation, "
        "delays and lost luggage. Check what your credit card or existing insurance already covers, "
        "and read the exclusions; pre-existing conditions and adventure sports are commonly left out.",
        ["No, nothing ever goes wrong on trips.", "It's a scam, never buy it."],
        [],
        short="It's often worth it for trips abroad, mainly for emergency medical care and "
        "cancellations; check what your card already covers first.",
        long_bad="That's a question a lot of travelers ask, and there are many opinions about it "
        "online. Some people swear by it and others never buy it. Insurance is a "
        "complicated industry with lots of different products and prices. In the end it "
        "really comes down to your personal feelings about risk.",
    ),
    T(
        "travel",
        [
            "How do I avoid getting sick from food when I travel?",
            "What are some tips to avoid traveler's stomach problems?",
            "I'm traveling soon and I'm worried about food poisoning. Any advice?",
        ],
        "Wash your hands or use sanitizer before eating, and favor food that's cooked fresh and served "
        "hot. Where tap water isn't safe, drink bottled or treated water and be careful with ice and "
        "raw produce washed in tap water. Fruit you peel yourself is usually fine. Pack oral rehydration "
        "salts in case you do get an upset stomach.",
        [
            "Only eat at places with lots of tourists and you'll be totally fine.",
            "Drink a shot of alcohol after every meal to kill germs.",
        ],
        [],
        short="Favor food that's cooked fresh and served hot, drink bottled or treated water "
        "where needed, and wash your hands before eating.",
        long_bad="Street food is the main danger, so stick to salads and cut fruit from hotel "
        "buffets, since those are always washed carefully. Ice is safe everywhere "
        "because freezing kills germs, so drinks with lots of ice are a good choice. "
        "Spicy food also kills bacteria, so the more chili you eat, the better protected "
        "you are.",
    ),
    T(
        "travel",
        [
            "What's a good way to get around a new city?",
            "I'm visiting a city I've never been to. How should I get around?",
            "Is it better to rent a car or use public transport in a big city?",
        ],
        "In most big cities, public transport plus walking is cheaper and less stressful than renting a "
        "car, since parking and traffic are hard. Download the local transit app or an offline map, "
        "check whether there's a day pass, and save your accommodation's address on your phone. For "
        "late nights or trips with heavy luggage, a taxi or rideshare can be worth the cost.",
        [
            "Always rent a car. Public transport is never worth it.",
            "Just wander around, you'll figure it out.",
        ],
        [],
        short="Public transport plus walking usually works best; download the local transit app "
        "and check whether there's a day pass.",
        long_bad="Always rent the biggest car you can, because public transport in an unfamiliar "
        "city is confusing and unreliable. Parking is usually easy if you just leave the "
        "car near the sights, and traffic is rarely a problem for tourists. You'll save "
        "loads of time driving door to door instead of waiting for buses.",
    ),
    # ---------------------------------------------------------------- study
    T(
        "study",
        [
            "How can I study more effectively for exams?",
            "I spend hours studying but forget everything. What should I change?",
            "What are the best study techniques?",
        ],
        "Two techniques have strong evidence behind them: retrieval practice and spacing. Instead of "
        "rereading notes, close the book and test yourself with flashcards or practice questions, then "
        "check your answers. Spread sessions over several days rather than cramming the night before. "
        "Short focused blocks, like 25 to 50 minutes with a break, and enough sleep both help memory too.",
        [
            "Just reread your notes over and over until you know them.",
            "Some people are just bad at exams. Don't worry about it.",
        ],
        [
            (
                "How do I make good flashcards?",
                "Keep each card to one idea, write the question in your own words, and make the answer short. "
                "Put the cards you miss back into the pile more often than the ones you know.",
                "Copy whole pages of the textbook onto each card.",
            )
        ],
        short="Test yourself with practice questions instead of rereading, and spread your study "
        "over several days.",
        long_bad="The best method is to read your textbook cover to cover several times, ideally "
        "in one long session the night before the exam. That keeps everything fresh in "
        "short-term memory. Highlighting as much of the page as possible also helps a "
        "lot, because the colors make the information stick.",
    ),
    T(
        "study",
        [
            "How do I stop procrastinating on homework?",
            "I keep putting off my assignments. Any tips?",
            "How can I make myself start studying when I don't feel like it?",
        ],
        "Make the first step tiny: decide to work for just 10 minutes, which is often enough to get "
        "going. Break the assignment into small concrete tasks, put your phone in another room, and "
        "set a timer. Planning a specific time and place ahead also helps, and a short reward after "
        "each block keeps you moving.",
        [
            "Just wait until you feel motivated.",
            "Procrastination is a personality trait, you can't change it.",
        ],
        [],
        short="Commit to just ten minutes on the smallest first step, with your phone in another "
        "room.",
        long_bad="Procrastination is actually a really interesting word. It comes from Latin and "
        "means something like 'belonging to tomorrow.' Lots of famous writers and "
        "artists were known procrastinators, and some of them still produced great work. "
        "It's kind of reassuring to know you're in good company.",
    ),
    T(
        "study",
        [
            "How do I write a good thesis statement?",
            "What makes a strong thesis for an essay?",
            "My teacher says my thesis is too vague. How do I fix it?",
        ],
        "A strong thesis makes a specific, arguable claim and hints at your reasons. Compare 'Social "
        "media has effects on teenagers' with 'Social media harms teenagers' sleep because late-night "
        "scrolling delays bedtime and notifications interrupt rest.' The second says exactly what you'll "
        "argue and why. Put it near the end of your introduction and make sure every body paragraph "
        "supports it.",
        [
            "Just restate the essay question.",
            "Make it as long and complicated as possible so it sounds smart.",
        ],
        [],
        short="Make a specific, arguable claim and say why, for example 'Social media harms "
        "teens' sleep because late-night scrolling delays bedtime.'",
        long_bad="A good thesis should be broad enough that nobody could disagree with it, like "
        "'Technology has many effects on society.' That keeps you safe, because you "
        "can't be wrong. Put it at the very end of the essay as a surprise, so the "
        "reader has to work out your point on their own.",
    ),
    T(
        "study",
        [
            "How do I take better notes in class?",
            "What's a good note-taking method for lectures?",
            "My lecture notes are a mess. How do I improve them?",
        ],
        "Don't try to write everything down. Capture main ideas, definitions and examples in your own "
        "words. The Cornell method works well: divide the page into a notes column, a narrow cue column "
        "for questions and keywords, and a summary at the bottom. Review and tidy your notes within a "
        "day, and turn the cue column into questions to quiz yourself.",
        ["Write down every word the teacher says.", "Notes don't matter, just listen."],
        [],
        short="Write down main ideas in your own words rather than everything, and review your "
        "notes within a day.",
        long_bad="Note-taking is a skill that everyone approaches in their own way. There are "
        "lots of methods out there, and what works for one person might not work for "
        "another. The important thing is to find a system that feels right for you. Keep "
        "trying different things and eventually something will click.",
    ),
    T(
        "study",
        [
            "What's the best way to learn a new language?",
            "I want to learn Spanish. Where should I start?",
            "How long does it take to get conversational in a language?",
        ],
        "Start with the most common words and phrases plus basic grammar, and practice a little every "
        "day rather than a lot once a week. Use spaced-repetition flashcards for vocabulary, listen to "
        "podcasts or shows for beginners, and speak early, even imperfectly, with a tutor or language "
        "partner. With steady daily practice many people reach simple conversations in a few months.",
        [
            "Just move to the country, that's the only way to learn.",
            "Adults can't really learn new languages.",
        ],
        [
            (
                "Is it okay to use an app only?",
                "Apps are a good start for vocabulary and habits, but you'll progress faster if you add real "
                "listening and speaking practice, since most apps don't prepare you for conversations.",
                "Yes, an app alone will make you fluent in a couple of weeks.",
            )
        ],
        short="Practice a little daily with common words, flashcards and early speaking; many "
        "people reach simple conversations within a few months.",
        long_bad="The most effective way is to memorize a whole dictionary from A to Z before you "
        "try to speak, so you don't make mistakes. Grammar should come last, after you "
        "know every word. Speaking too early locks in bad habits, so wait a couple of "
        "years until you feel completely ready.",
    ),
    T(
        "study",
        [
            "How do I cite a website in APA style?",
            "What's the APA format for a web page reference?",
            "Can you show me how to reference a website in APA?",
        ],
        "In APA 7th edition, a web page reference generally looks like: Author, A. A. (Year, Month Day). "
        "Title of page. Site Name. URL. If there's no individual author, use the organization as the "
        "author. If there's no date, write (n.d.). In the text, cite it as (Author, Year). Check your "
        "course's guide because instructors sometimes ask for small variations.",
        [
            "Just paste the link at the end, that's all APA needs.",
            "Citation styles don't really matter.",
        ],
        [],
        short="Author. (Year, Month Day). Title of page. Site Name. URL, using (n.d.) when "
        "there's no date.",
        long_bad="Citation styles change all the time, and every teacher seems to want something "
        "slightly different. There are whole books written about APA, and the rules can "
        "get pretty confusing. Some websites generate citations for you, but they aren't "
        "always right either. It's really something you'll have to work out with your "
        "instructor.",
    ),
    T(
        "study",
        [
            "How can I improve my reading speed?",
            "I read really slowly. How do I get faster without missing things?",
            "Is speed reading real?",
        ],
        "Most dramatic speed-reading claims don't hold up, because comprehension drops sharply at very "
        "high speeds. What does help is reading more often, building vocabulary, previewing headings "
        "before you start, and adjusting your pace: skim for the main idea, then slow down for the "
        "difficult parts. Reading regularly is the most reliable way to get faster.",
        [
            "Just skip every other line, you'll get the gist.",
            "Reading speed is fixed, you can't change it.",
        ],
        [],
        short="Dramatic speed-reading claims don't hold up; reading more often, previewing "
        "headings and slowing down for hard parts is what helps.",
        long_bad="Speed reading works exactly as advertised. With practice you can read a whole "
        "novel in under an hour by moving your eyes straight down the middle of the page "
        "and never looking left or right. Comprehension stays the same no matter how "
        "fast you go, because your brain fills in whatever you skip.",
    ),
    # ---------------------------------------------------------------- coding
    T(
        "coding",
        [
            "What's the difference between a list and a tuple in Python?",
            "When should I use a tuple instead of a list in Python?",
            "Why does Python have both lists and tuples?",
        ],
        "Both hold ordered sequences, but lists are mutable (you can add, remove or change items) and "
        "tuples are immutable. Use a list for a collection that changes, like items in a cart. Use a "
        "tuple for a fixed group of values, like a coordinate (x, y). Because tuples can't change, they "
        "can be used as dictionary keys, and they signal that the data shouldn't be modified.",
        [
            "There's no difference, they're just two names for the same thing.",
            "Tuples are just old lists. Don't use them.",
        ],
        [
            (
                "How do I turn a tuple into a list?",
                "Pass it to list(), for example list((1, 2, 3)) gives [1, 2, 3]. tuple() goes the other way.",
                "You can't, once it's a tuple it stays a tuple.",
            )
        ],
        short="Lists are mutable and tuples aren't, so use a tuple for a fixed group of values, "
        "like a coordinate.",
        long_bad="Tuples are simply the faster version of lists, and that's the only difference "
        "between them. You can add and remove items from both in exactly the same way. "
        "Most programmers use tuples everywhere for speed, and lists are mainly kept "
        "around for compatibility with older versions of Python.",
    ),
    T(
        "coding",
        [
            "How do I read a file line by line in Python?",
            "What's the simplest way to loop over the lines of a text file in Python?",
            "In Python, how can I open a text file and print each line?",
        ],
        "Use a with block so the file is closed automatically, and loop over the file object:\n"
        "with open('notes.txt', encoding='utf-8') as f:\n    for line in f:\n        print(line.rstrip())\n"
        "rstrip() removes the newline at the end of each line. Reading this way is memory-friendly "
        "because it doesn't load the whole file at once.",
        [
            "Use file.readall() and then split it by spaces.",
            "Python can't really read files, you need a different language.",
        ],
        [],
        short="Open it in a with block and loop directly over the file object; each iteration "
        "gives you one line, which you can print with line.rstrip().",
        long_bad="You need to import the special fileio module first and call read_lines_fast() "
        "on the filename, which returns everything as one long string. Then split that "
        "string wherever there's a space to get the lines. Remember to close the file "
        "twice at the end, because Python sometimes leaves it open.",
    ),
    T(
        "coding",
        [
            "What is a variable in programming?",
            "Can you explain variables to a complete beginner?",
            "I'm new to coding. What does it mean to assign a variable?",
        ],
        "A variable is a name that refers to a value so you can use it later. In Python, age = 30 "
        "creates a variable called age that refers to the number 30. You can then write age + 1 or "
        "print(age). Assigning means giving the name a value with =, and you can reassign it later, "
        "for example age = 31. Good names like total_price make code easier to read.",
        [
            "A variable is a kind of error message.",
            "It's complicated, you'll understand it eventually.",
        ],
        [],
        short="A variable is a name that refers to a value, like age = 30, so you can use it or "
        "change it later.",
        long_bad="Programming is a huge field with lots of languages, and each one has its own "
        "quirks. Some are old, like COBOL, and some are newer, like Rust. People argue a "
        "lot about which is best. There are also many great online courses and video "
        "channels if you want to get into coding.",
    ),
    T(
        "coding",
        [
            "What does git commit do?",
            "I'm learning Git. What's the difference between add and commit?",
            "Can you explain what a commit is in Git?",
        ],
        "A commit is a saved snapshot of your project at a point in time, with a message describing "
        "the change. git add chooses which changes go into the next snapshot (the staging area), and "
        "git commit records that snapshot in your local history. Commits stay on your computer until "
        "you git push them to a remote like GitHub. Small commits with clear messages make history "
        "easy to follow.",
        [
            "git commit uploads your code to the internet.",
            "It's just a command you have to type, don't worry about what it does.",
        ],
        [
            (
                "How do I undo my last commit but keep the changes?",
                "Use git reset --soft HEAD~1. It removes the last commit but keeps its changes staged so you "
                "can edit them and commit again. Avoid rewriting commits you've already pushed to a shared "
                "branch.",
                "Delete the .git folder and start over.",
            )
        ],
        short="A commit saves a snapshot of the changes you staged with git add to your local "
        "history; git push sends it to a remote.",
        long_bad="Git commit instantly uploads your code to GitHub so other people can see it, "
        "and it also makes a backup in the cloud. git add is just an older name for the "
        "same command. Once you commit, the change is permanent and can never be undone, "
        "so only commit when the project is finished.",
    ),
    T(
        "coding",
        [
            "Why do I get an IndexError in Python?",
            "What does 'list index out of range' mean?",
            "My Python code says IndexError: list index out of range. How do I fix it?",
        ],
        "It means you asked for a position that doesn't exist in the list. Python indexes start at 0, "
        "so a list with 3 items has indexes 0, 1 and 2; my_list[3] raises IndexError. Common causes are "
        "off-by-one loops, like using range(len(x) + 1), or accessing an empty list. Print the list "
        "length and the index just before the error to find it, or loop over items directly with "
        "for item in my_list.",
        [
            "It means Python is broken. Reinstall it.",
            "Just wrap everything in try/except and ignore the error.",
        ],
        [],
        short="You asked for a position past the end of the list; indexes start at 0, so check "
        "for loops that go one step too far.",
        long_bad="It usually means your computer ran out of memory while building the list. Try "
        "closing other programs and restarting your editor. If that doesn't work, make "
        "the list longer than you need, since longer lists never raise IndexError, or "
        "reinstall Python to get a fresh copy.",
    ),
    T(
        "coding",
        [
            "What is an API?",
            "Can you explain what an API is in simple terms?",
            "People keep talking about APIs at work. What are they?",
        ],
        "An API, or application programming interface, is a defined way for one piece of software to "
        "ask another for data or actions. A weather app, for example, sends a request to a weather "
        "service's API, such as 'current temperature for Paris', and gets back structured data, often "
        "JSON. The API is like a menu: it lists what you can ask for and how to ask, without showing "
        "how the kitchen works.",
        [
            "An API is a type of computer virus.",
            "It's a technical thing, you wouldn't understand it.",
        ],
        [],
        short="An API is a defined way for one program to ask another for data or actions, like a "
        "weather app asking a weather service.",
        long_bad="APIs are a big topic and there's a lot of jargon around them. They come up in "
        "all sorts of conversations at tech companies, and people use the word in "
        "different ways. It's one of those things that makes more sense once you've been "
        "around it for a while. You'll pick it up naturally.",
    ),
    T(
        "coding",
        [
            "How do I center a div in CSS?",
            "What's the easiest way to center something horizontally and vertically in CSS?",
            "I can never get elements centered on a web page. What's the modern way?",
        ],
        "Flexbox is the simplest modern approach. On the parent element set display: flex; "
        "justify-content: center; align-items: center; and give the parent a height, for example "
        "min-height: 100vh for a full page. CSS Grid also works with display: grid; place-items: center;. "
        "For horizontal centering of a block with a set width, margin: 0 auto; is enough.",
        [
            "Add spaces before the div until it looks centered.",
            "You can't really center things in CSS, it's a known limitation.",
        ],
        [],
        short="On the parent, set display: flex; justify-content: center; align-items: center; "
        "and give it a height.",
        long_bad="The standard method is to wrap your div in a center tag, which works in all "
        "modern browsers. If that doesn't do it, add margin-top: 50% and margin-left: "
        "50% to the div itself. That always lands it exactly in the middle of the "
        "screen, whatever its size.",
    ),
    T(
        "coding",
        [
            "What's the difference between = and == in Python?",
            "Why does my if statement give a syntax error when I use =?",
            "When do I use one equals sign and when two?",
        ],
        "A single = assigns a value, as in x = 5. A double == compares two values and gives True or "
        "False, as in if x == 5:. Writing if x = 5: is a syntax error in Python because assignment isn't "
        "allowed there. A simple way to remember: = means 'becomes', == means 'is equal to?'.",
        ["They're the same, use whichever you like.", "Use = for numbers and == for text."],
        [],
        short="= assigns a value (x = 5) and == compares two values (x == 5), so an if statement "
        "needs ==.",
        long_bad="In Python they're mostly the same, but = is the older style and == is the newer "
        "one. The syntax error you're getting is probably about your indentation, not "
        "the equals sign. Try adding a semicolon at the end of the if line, which tells "
        "Python the comparison is finished.",
    ),
    T(
        "coding",
        [
            "How do I choose my first programming language?",
            "Which programming language should a beginner learn first?",
            "I want to learn to code. Python or JavaScript?",
        ],
        "Pick based on what you want to build. Python has readable syntax and is great for automation, "
        "data analysis and general learning. JavaScript is the language of the web, so it's the natural "
        "choice if you want to build websites. Either is a fine first language; the concepts, like "
        "variables, loops and functions, transfer to others. Choose one and build small projects.",
        [
            "Start with assembly language, everything else is too easy.",
            "It doesn't matter, coding is too hard for most people anyway.",
        ],
        [],
        short="Python is a great first choice for general learning and automation; pick "
        "JavaScript if you mainly want to build websites.",
        long_bad="Everyone has an opinion about this, and the debates online can get pretty "
        "heated. New languages come out every year, and the popular ones keep changing. "
        "Whatever you choose today might be out of fashion in a few years anyway. It "
        "probably doesn't matter much in the end.",
    ),
    # ---------------------------------------------------------------- health (general)
    T(
        "health",
        [
            "How much water should I drink a day?",
            "Do I really need eight glasses of water a day?",
            "How do I know if I'm drinking enough water?",
        ],
        "Needs vary with body size, activity and climate, so there's no single number. Many health "
        "bodies suggest total daily fluid of roughly 2.7 liters for women and 3.7 liters for men, and "
        "that includes water from food and other drinks. A practical check is your urine: pale yellow "
        "usually means you're well hydrated. Drink more in hot weather or when exercising.",
        [
            "Drink as much as you possibly can, there's no such thing as too much.",
            "Water isn't that important, you get enough from coffee.",
        ],
        [],
        short="There's no single number; drink when you're thirsty, and pale yellow urine is a "
        "good sign you're getting enough.",
        long_bad="You need at least four liters of plain water a day whatever your size, and more "
        "is always better. Coffee, tea and juice don't count at all because they "
        "dehydrate you. If you ever feel thirsty, you're already seriously dehydrated, "
        "so keep sipping constantly throughout the day.",
    ),
    T(
        "health",
        [
            "How can I fall asleep faster?",
            "I lie awake for an hour every night. What can help?",
            "Any tips for better sleep?",
        ],
        "Keep a consistent sleep and wake time, even on weekends. Limit caffeine after early afternoon, "
        "dim screens and lights for the last hour before bed, and keep the bedroom cool, dark and quiet. "
        "If you can't sleep after about 20 minutes, get up and do something calm until you feel sleepy. "
        "If trouble sleeping lasts for weeks, it's worth talking to a doctor.",
        [
            "Have a big meal and a couple of drinks right before bed.",
            "Some people just can't sleep. Nothing helps.",
        ],
        [
            (
                "Is it bad to nap during the day?",
                "Short naps of 20 to 30 minutes in the early afternoon are fine for most people. Long or late "
                "naps can make it harder to fall asleep at night.",
                "Naps are always bad for you, never take them.",
            )
        ],
        short="Keep a regular sleep schedule, cut caffeine after early afternoon, and dim screens "
        "for the hour before bed.",
        long_bad="A big meal right before bed is the best way to make yourself drowsy, and a "
        "nightcap or two relaxes you even more. Scrolling on your phone in bed is fine "
        "too, since it takes your mind off things. If you can't sleep, stay in bed and "
        "keep trying no matter how long it takes.",
    ),
    T(
        "health",
        [
            "What's a good way to start exercising if I'm out of shape?",
            "I haven't exercised in years. How should I begin?",
            "How do I build an exercise habit as a total beginner?",
        ],
        "Start small and regular: a brisk 15 to 20 minute walk most days is a great base. Add simple "
        "strength moves like squats to a chair, wall push-ups and glute bridges twice a week. Increase "
        "time or effort gradually, about 10 percent a week. If you have a health condition or haven't "
        "been active for a long time, check with a doctor first.",
        [
            "Go as hard as you can every day from day one.",
            "If you're out of shape, exercise won't help much.",
        ],
        [],
        short="Start with brisk 15 to 20 minute walks most days plus simple strength moves twice "
        "a week, and build up slowly.",
        long_bad="Exercise is something everyone should do, and there are so many kinds to choose "
        "from. You could try sports, gyms, classes, outdoor activities or something at "
        "home. The benefits are well known, and it's never a bad idea to move more. What "
        "matters most is that you find something you like.",
    ),
    T(
        "health",
        [
            "What should I do for a minor burn?",
            "I burned my finger on the stove. How should I treat it?",
            "What's the right first aid for a small kitchen burn?",
        ],
        "Cool the burn under cool (not ice-cold) running water for about 20 minutes, and remove rings "
        "or tight items near it before it swells. Then cover it loosely with a clean non-stick dressing "
        "or cling film. Don't put butter, ice or toothpaste on it. Seek medical care if the burn is "
        "large, deep, on the face, hands or genitals, or shows signs of infection.",
        ["Put butter on it right away.", "Burns heal on their own, just ignore it."],
        [],
        short="Run cool water over it for about 20 minutes, then cover it loosely; skip butter, "
        "ice and toothpaste.",
        long_bad="Press an ice cube straight onto the burn for as long as you can stand it, "
        "because the colder it gets, the less damage there will be. Afterward, rub on a "
        "thick layer of butter or toothpaste to seal it off from the air. That's how "
        "people have always treated kitchen burns.",
    ),
    T(
        "health",
        [
            "How can I tell if I have a cold or the flu?",
            "What's the difference between a cold and the flu?",
            "My throat is sore and I'm sneezing. Is it the flu?",
        ],
        "Colds usually come on gradually with a runny or stuffy nose, sneezing and a sore throat, and "
        "you feel fairly okay. The flu tends to hit suddenly with fever, body aches, chills and "
        "exhaustion. Sneezing and a sore throat sound more like a cold. Rest and fluids help either "
        "way; see a doctor if you have trouble breathing, a high fever that won't come down, or you're "
        "in a higher-risk group.",
        ["They're exactly the same thing.", "Just take antibiotics, they cure both."],
        [],
        short="Colds come on gradually with sneezing and a stuffy nose; flu usually hits suddenly "
        "with fever and body aches.",
        long_bad="A sore throat and sneezing are classic signs of the flu, and it's almost "
        "impossible to tell the two apart anyway. The best thing is to get antibiotics "
        "from your doctor right away, since they clear up both colds and flu within a "
        "day or two. Waiting it out just makes it last longer.",
    ),
    T(
        "health",
        [
            "How can I reduce stress?",
            "I've been really stressed lately. What can I do?",
            "What are some practical ways to manage everyday stress?",
        ],
        "Some things that help many people: regular physical activity, even short walks; enough sleep; "
        "slow breathing, such as breathing out longer than you breathe in for a few minutes; and "
        "writing down what's on your mind and breaking big problems into next steps. Talking to "
        "friends helps too. If stress is affecting your daily life for weeks, a doctor or counselor "
        "can offer more support.",
        [
            "Just ignore it and it'll go away.",
            "Stress is all in your head, so stop thinking about it.",
        ],
        [],
        short="Regular exercise, enough sleep, slow breathing and breaking big worries into next "
        "steps help many people.",
        long_bad="Stress has been studied for a long time, and scientists have found it affects "
        "almost every part of the body. Hormones like cortisol and adrenaline evolved to "
        "help our ancestors escape predators. It's fascinating how the body works. "
        "Modern life is very different from the distant past, of course.",
    ),
    T(
        "health",
        [
            "How long should I wash my hands?",
            "What's the proper way to wash your hands?",
            "Is a quick rinse enough to clean your hands?",
        ],
        "Wet your hands, apply soap, and scrub all surfaces, including backs, between fingers and under "
        "nails, for at least 20 seconds, about the time it takes to hum 'Happy Birthday' twice. Rinse "
        "under running water and dry with a clean towel. A quick rinse without soap removes far fewer "
        "germs.",
        [
            "Two or three seconds is fine as long as you use hot water.",
            "Handwashing doesn't really do anything.",
        ],
        [],
        short="Scrub with soap for at least 20 seconds, including the backs, between fingers and "
        "under nails, then rinse and dry.",
        long_bad="A quick splash under very hot water is actually the most effective method, "
        "because the heat does the cleaning. Soap is optional and dries out your skin, "
        "so many people skip it. Two or three seconds is plenty, as long as the water "
        "feels hot enough to be uncomfortable.",
    ),
    T(
        "health",
        [
            "Is it okay to take ibuprofen on an empty stomach?",
            "Should I take ibuprofen with food?",
            "Why do people say to eat before taking painkillers like ibuprofen?",
        ],
        "Ibuprofen can irritate the stomach lining, so it's generally recommended to take it with food "
        "or milk, especially if you need it for more than a single dose. Follow the dose on the label, "
        "and check with a pharmacist or doctor if you have stomach problems, kidney issues, or take "
        "other medications, because those can change whether it's right for you.",
        [
            "It doesn't matter at all, take as much as you want however you want.",
            "Never take ibuprofen, it's always dangerous.",
        ],
        [],
        short="It's best taken with food or milk because it can irritate the stomach; stick to "
        "the dose on the label.",
        long_bad="Medications are a really individual thing, and every body reacts differently. "
        "There's a lot of conflicting information out there, and people have very strong "
        "opinions about painkillers. I'd say just go with whatever feels right to you. "
        "You know your own body better than anyone.",
    ),
    # ---------------------------------------------------------------- home
    T(
        "home",
        [
            "How do I unclog a drain without chemicals?",
            "My bathroom sink drains really slowly. How can I fix it?",
            "Is there a natural way to clear a blocked drain?",
        ],
        "Start by removing any visible hair or gunk from the drain opening. Then try a plunger, "
        "covering the overflow hole with a wet cloth so you get suction. A cheap plastic drain snake is "
        "very effective at pulling out hair clogs. Pouring a kettle of hot (not boiling, if you have PVC "
        "pipes) water can help with grease. If none of that works, the P-trap under the sink can be "
        "unscrewed and cleaned out.",
        [
            "Pour a whole bottle of bleach down it and wait a week.",
            "Drains unclog themselves eventually.",
        ],
        [],
        short="Pull out any visible hair, then try a plunger or a cheap plastic drain snake.",
        long_bad="Drains clear best if you leave them alone for a week or two and let the water "
        "work its way through. Pouring used coffee grounds down helps scrub the pipes on "
        "their way through. Plungers and snakes tend to scratch the pipes, so it's "
        "better not to use them at all.",
    ),
    T(
        "home",
        [
            "How often should I wash my bed sheets?",
            "Is washing sheets once a month enough?",
            "How frequently do people usually change their bedding?",
        ],
        "Once a week is a common guideline, or every two weeks at most. Sheets collect sweat, skin "
        "cells and oils, and dust mites feed on them. Wash more often if you sweat a lot, have "
        "allergies, or let pets on the bed. Warm water and drying them thoroughly help keep them fresh.",
        ["Once a year is plenty.", "You never need to wash sheets if you shower before bed."],
        [],
        short="About once a week, or every two weeks at most.",
        long_bad="Once a month is more than enough for most people, and many go even longer. "
        "Sheets only really get dirty when you can see stains, and washing them too "
        "often wears out the fabric. If you shower before bed, your sheets basically "
        "stay clean indefinitely.",
    ),
    T(
        "home",
        [
            "How do I get rid of fruit flies?",
            "There are tiny flies all over my kitchen. What do I do?",
            "What's a good trap for fruit flies?",
        ],
        "First remove what attracts them: throw out overripe fruit, take out the trash, and rinse "
        "recycling. Then make a trap: a small bowl of apple cider vinegar with a drop of dish soap "
        "(the soap breaks the surface tension so they sink). Cover it with plastic wrap poked with a few "
        "small holes if you like. Clean the sink drain too, since they often breed there.",
        [
            "Leave more fruit out so they have somewhere else to go.",
            "You just have to live with them until winter.",
        ],
        [],
        short="Throw out overripe fruit and set a small bowl of cider vinegar with a drop of dish "
        "soap as a trap.",
        long_bad="Fruit flies can be really annoying, and they seem to show up out of nowhere. A "
        "lot of people deal with them, especially in summer. There are plenty of "
        "products and ideas out there to try. It can take some patience and trial and "
        "error before they're finally gone.",
    ),
    T(
        "home",
        [
            "How can I lower my electricity bill?",
            "What are easy ways to save energy at home?",
            "My power bill is really high. Where should I start cutting?",
        ],
        "The biggest wins are usually heating and cooling: adjust the thermostat a couple of degrees, "
        "seal drafts around doors and windows, and use curtains to keep heat in or out. Switch to LED "
        "bulbs, wash clothes in cold water, and turn off devices at the power strip. Your utility may "
        "offer a free energy audit or a breakdown showing which appliances use the most.",
        ["Unplug your fridge at night.", "Bills are just high these days, nothing you can do."],
        [],
        short="Start with heating and cooling: adjust the thermostat a couple of degrees and seal "
        "drafts around doors and windows.",
        long_bad="The biggest drain in most homes is phone chargers left plugged in, so "
        "unplugging them will cut your bill roughly in half. Lights barely matter, and "
        "neither does the thermostat, because heating systems use the same energy "
        "whatever temperature you set.",
    ),
    T(
        "home",
        [
            "How do I get a red wine stain out of carpet?",
            "I spilled red wine on the rug. Help!",
            "What's the best way to clean a wine spill on carpet?",
        ],
        "Act quickly. Blot (don't rub) with a clean cloth to soak up as much as possible. Pour a little "
        "cold water on it and blot again. Then dab on a mix of one tablespoon dish soap, one tablespoon "
        "white vinegar and two cups of warm water, and keep blotting. Rinse with cold water and blot dry. "
        "Test any cleaner on a hidden spot first, and avoid hot water, which can set the stain.",
        [
            "Rub it hard with hot water so it spreads out and fades.",
            "That stain is permanent, you'll need a new carpet.",
        ],
        [],
        short="Blot it, don't rub, then dab with cold water and a mild soap and vinegar mix and "
        "keep blotting.",
        long_bad="Scrub the stain hard with a brush and hot water so it spreads out and fades "
        "into the carpet. Then dry it quickly with a hair dryer on high so it can't soak "
        "in any further. If there's still a mark, cover it with salt and leave it for a "
        "few weeks.",
    ),
    T(
        "home",
        [
            "How do I keep my houseplants alive?",
            "My houseplants keep dying. What am I doing wrong?",
            "How often should I water indoor plants?",
        ],
        "Overwatering is the most common problem. For most houseplants, water when the top inch or two "
        "of soil is dry, and make sure the pot has drainage holes so roots don't sit in water. Match the "
        "plant to your light: snake plants and pothos tolerate low light, while succulents need bright "
        "sun. Yellowing lower leaves and soggy soil usually mean too much water.",
        ["Water them every day, plants love water.", "Some people just have a black thumb."],
        [
            (
                "What's an easy plant for a dark apartment?",
                "Pothos, snake plants and ZZ plants all handle low light well and forgive missed waterings.",
                "Cacti, they love the dark.",
            )
        ],
        short="Most die from overwatering; water when the top inch or two of soil is dry and use "
        "pots with drainage holes.",
        long_bad="Plants dying indoors is almost always a sign they aren't getting enough water. "
        "Give them a good soak every day, and pick pots without drainage holes so the "
        "water stays where the roots can reach it. Keep them in the darkest corner too, "
        "since light burns the leaves.",
    ),
    T(
        "home",
        [
            "How do I hang a heavy picture on drywall?",
            "What should I use to hang a big mirror on the wall?",
            "Will a regular nail hold a heavy frame in drywall?",
        ],
        "A plain nail often won't hold much in drywall. Best is to screw into a wall stud, which you can "
        "find with a stud finder. If there's no stud where you need it, use anchors rated for the weight, "
        "such as toggle bolts or heavy-duty picture hangers, and check the weight rating on the package. "
        "For heavy mirrors, two anchor points spread the load and keep it level.",
        ["Use tape, it's strong enough for anything.", "Just hammer in a nail, it'll be fine."],
        [],
        short="Screw into a wall stud, or use anchors rated for the weight, such as toggle bolts.",
        long_bad="A single regular nail is all you need, as long as you hammer it in at a steep "
        "upward angle. Drywall is much stronger than it looks, and anchors are mostly a "
        "marketing gimmick. For extra security, put a strip of tape over the nail head.",
    ),
    T(
        "home",
        [
            "How do I get rid of a musty smell in my closet?",
            "My closet smells damp. What can I do?",
            "Why does my wardrobe smell musty and how do I fix it?",
        ],
        "A musty smell usually means moisture and sometimes mildew. Empty the closet, wipe surfaces with "
        "a mild detergent or diluted white vinegar, and let it air out with the door open. Wash or air "
        "the clothes. To prevent it coming back, leave a little space between items, use a moisture "
        "absorber or a bowl of baking soda, and fix any leaks. Visible mold over a large area may need "
        "professional help.",
        ["Spray a lot of perfume in there.", "Closets always smell, it's normal."],
        [],
        short="It's usually damp: clean the surfaces, air it out, and leave space between clothes "
        "so air can circulate.",
        long_bad="Closets say a lot about a person, and organizing one can be really satisfying. "
        "Some people sort their clothes by color, others by season. There are whole TV "
        "shows about decluttering and tidying up. You might even find a few things you "
        "forgot you had.",
    ),
    # ---------------------------------------------------------------- money
    T(
        "money",
        [
            "How do I start making a budget?",
            "I never know where my money goes. How do I make a budget?",
            "What's a simple budgeting method for beginners?",
        ],
        "Start by listing your monthly take-home pay and tracking a month of spending from bank "
        "statements. A simple framework is 50/30/20: about 50 percent to needs like rent and groceries, "
        "30 percent to wants, and 20 percent to savings and debt payments. Adjust the numbers to your "
        "situation, and automate savings on payday so it happens first.",
        ["Just spend less. That's all budgeting is.", "Budgets never work, don't bother."],
        [
            (
                "What if my needs are more than 50 percent?",
                "That's common, especially with high rent. Use the split as a guide, not a rule: cut wants "
                "first, look for savings on big fixed costs, and keep at least a small automatic amount going "
                "to savings.",
                "Then stop paying rent for a while.",
            )
        ],
        short="List your take-home pay, track a month of spending, then try roughly 50% needs, "
        "30% wants and 20% savings.",
        long_bad="Budgeting is something a lot of people struggle with, and there's no one right "
        "way to do it. Money is emotional, and everyone's situation is different. It's "
        "important to be kind to yourself. Over time you'll probably develop a sense of "
        "what works for your life.",
    ),
    T(
        "money",
        [
            "What is an emergency fund?",
            "How much should I have saved for emergencies?",
            "Why do people say you need an emergency fund?",
        ],
        "An emergency fund is money set aside for unexpected costs like a car repair, a medical bill or "
        "losing your job, so you don't have to use high-interest debt. A common target is three to six "
        "months of essential expenses, kept somewhere safe and easy to access, such as a savings "
        "account. If that feels huge, start with a smaller goal like one month.",
        [
            "An emergency fund is a credit card you only use sometimes.",
            "You don't need one, emergencies are rare.",
        ],
        [],
        short="It's savings kept for unexpected costs; a common target is three to six months of "
        "essential expenses.",
        long_bad="An emergency fund just means having a credit card with a high limit that you "
        "keep for surprises. There's no need to save cash, since money sitting in an "
        "account only loses value. As long as you can borrow when something goes wrong, "
        "you're covered.",
    ),
    T(
        "money",
        [
            "What's the difference between a debit card and a credit card?",
            "Should I use a credit card or a debit card?",
            "How do credit cards actually work compared to debit cards?",
        ],
        "A debit card takes money directly from your bank account. A credit card lets you borrow up to "
        "a limit and pay later; if you pay the full statement balance by the due date you usually pay no "
        "interest, but carried balances often have high interest. Credit cards can build credit history "
        "and have stronger fraud protection, but only help if you pay them off in full.",
        ["A credit card is free money you never have to pay back.", "They're exactly the same."],
        [],
        short="Debit spends money straight from your account; credit is borrowing, interest-free "
        "only if you pay the full balance on time.",
        long_bad="A credit card is basically free money, because the bank lets you spend it and "
        "only asks for a tiny minimum payment each month. As long as you pay that "
        "minimum, there's no real cost. Debit cards are for people who can't get "
        "approved for credit, so you should always choose credit.",
    ),
    T(
        "money",
        [
            "What does compound interest mean?",
            "Can you explain compound interest with an example?",
            "Why do people say compound interest is powerful?",
        ],
        "Compound interest means you earn interest on your interest as well as on the original amount. "
        "If you invest $1,000 at 5 percent a year, you have $1,050 after one year, and in year two you "
        "earn 5 percent of $1,050, giving $1,102.50. Over many years this snowballs, which is why "
        "starting early matters. It works against you too when you owe money on a credit card.",
        [
            "Compound interest means the bank doubles your money every year.",
            "It's a finance term, it's not important to understand.",
        ],
        [],
        short="You earn interest on your interest: $1,000 at 5% becomes $1,050, then $1,102.50 "
        "the next year.",
        long_bad="Compound interest means the bank pays you the same fixed amount every year, no "
        "matter how long you leave the money there. So $1,000 at 5 percent earns $50 a "
        "year forever. Some people call it powerful, but it's really just simple "
        "interest with a fancier name.",
    ),
    T(
        "money",
        [
            "How can I pay off credit card debt faster?",
            "I have debt on three credit cards. Which should I pay first?",
            "What's the best strategy to get out of credit card debt?",
        ],
        "Pay the minimum on every card so you avoid fees, then put any extra money toward one card at a "
        "time. The avalanche method targets the highest interest rate first and saves the most money; "
        "the snowball method clears the smallest balance first for quick motivation. Stop adding new "
        "charges, and ask about a lower rate or a balance transfer offer, reading the fees carefully.",
        [
            "Just ignore the bills, they'll eventually stop sending them.",
            "Open another card to pay off the first ones and keep doing that.",
        ],
        [],
        short="Pay the minimums on every card, then put any extra toward the card with the "
        "highest interest rate.",
        long_bad="Pay off the card with the lowest interest rate first, since it's the easiest to "
        "clear, and skip the minimum payments on the others until you're done. Another "
        "good option is to keep opening new cards to cover the old ones, which spreads "
        "the debt out so it matters less.",
    ),
    T(
        "money",
        [
            "What is an index fund?",
            "Why do people recommend index funds for beginners?",
            "Can you explain index funds simply?",
        ],
        "An index fund holds a broad basket of investments that track a market index, such as a large "
        "stock index, instead of trying to pick winners. That gives instant diversification, and fees "
        "are usually low because nobody is actively choosing stocks. They still go up and down with the "
        "market, so they suit long-term goals and money you won't need for years.",
        [
            "An index fund is a guaranteed way to double your money.",
            "It's something for rich people, not for beginners.",
        ],
        [],
        short="An index fund tracks a broad market index, giving cheap, instant diversification "
        "instead of picking stocks.",
        long_bad="Investing is a complicated world with a lot of different options, and it can be "
        "overwhelming. There are funds, stocks, bonds and many other products. Financial "
        "advisors spend years learning all of this. It's probably best not to worry "
        "about it until you have a lot more money.",
    ),
    T(
        "money",
        [
            "How do I negotiate a higher salary?",
            "I got a job offer. Is it okay to ask for more money?",
            "What's a good way to ask for a raise?",
        ],
        "It's normal to negotiate. Research typical pay for the role and location, then ask for a "
        "specific number near the upper end of that range, backed by your skills and results. Be "
        "polite and concrete: 'Based on my experience with X and market rates, I was hoping for Y.' If "
        "salary can't move, ask about a signing bonus, extra leave or a review in six months.",
        ["Threaten to quit unless they double your pay.", "Never ask, they'll withdraw the offer."],
        [],
        short="It's normal to negotiate: research typical pay, then politely ask for a specific "
        "number backed by your results.",
        long_bad="Never bring up money yourself. Accept the first offer as it is, because asking "
        "for more makes you look greedy and employers often withdraw offers from people "
        "who negotiate. If you want a raise later, just work harder and wait for your "
        "manager to notice.",
    ),
    # ---------------------------------------------------------------- writing
    T(
        "writing",
        [
            "How do I write a professional email asking for a deadline extension?",
            "Can you help me ask my manager for more time on a project?",
            "What should I say in an email requesting an extension?",
        ],
        "Keep it short, honest and specific. For example:\nSubject: Request for extension on the Q3 "
        "report\nHi Sam, I'm working on the Q3 report and need a little more time to finish the data "
        "checks properly. Would it be possible to move the deadline from Thursday to Monday? I can send "
        "a draft of the finished sections by Thursday. Thanks for considering it.\nAsking early and "
        "offering something concrete makes a yes more likely.",
        [
            "Just don't send it on time and explain later.",
            "Write 'I need more time' and nothing else.",
        ],
        [],
        short="Keep it short: say what you're working on, why you need more time, and propose a "
        "specific new deadline.",
        long_bad="Emails like this can be tricky, and tone is really hard to get right in "
        "writing. Every workplace has its own culture, and every manager is different. "
        "It's important to be professional but also authentic. Just think carefully "
        "about what you want to say and how you want to say it.",
    ),
    T(
        "writing",
        [
            "How do I write a cover letter?",
            "What should go in a cover letter?",
            "I've never written a cover letter. Where do I start?",
        ],
        "Aim for three or four short paragraphs on one page. Open with the job you're applying for and "
        "why it interests you. In the middle, pick two or three of the job's key requirements and give "
        "concrete examples of how you've met them. Close by restating your interest and inviting a "
        "conversation. Tailor it to each job and address it to a person if you can.",
        [
            "Copy your resume word for word into paragraphs.",
            "Nobody reads cover letters, write anything.",
        ],
        [],
        short="Keep it to one page: the role and why it interests you, two or three concrete "
        "examples, and a brief close.",
        long_bad="A cover letter should be at least three pages long so the employer sees how "
        "serious you are. Start with your life story from childhood, then list every job "
        "you've ever had in order. Use the same letter for every application, since "
        "hiring managers never compare them anyway.",
    ),
    T(
        "writing",
        [
            "How can I make my writing more concise?",
            "My essays are always too wordy. How do I cut them down?",
            "Tips for writing shorter, clearer sentences?",
        ],
        "Cut filler phrases ('in order to' becomes 'to', 'due to the fact that' becomes 'because'), "
        "prefer active verbs ('the team decided' rather than 'a decision was made by the team'), and "
        "delete words like 'very' and 'really'. Keep one main idea per sentence. Reading your draft "
        "aloud is a quick way to spot sentences that drag.",
        ["Just delete every third sentence.", "Long writing sounds smarter, so keep it."],
        [],
        short="Cut filler phrases, use active verbs, and keep one main idea per sentence.",
        long_bad="Well, when it comes to the question of writing, and more specifically the "
        "question of making writing shorter, there are really a great many different "
        "things that one could potentially consider doing, depending on the situation. "
        "In many cases it may be worth thinking about. Basically, it really just "
        "depends.",
    ),
    T(
        "writing",
        [
            "What's the difference between 'affect' and 'effect'?",
            "When do I use affect versus effect?",
            "I always mix up affect and effect. Any trick?",
        ],
        "In most cases 'affect' is a verb meaning to influence ('The rain affected the game'), and "
        "'effect' is a noun meaning a result ('The rain had a big effect'). A handy memory aid is A for "
        "action (affect, the verb) and E for end result (effect, the noun). Less commonly, 'effect' can "
        "be a verb meaning to bring about, as in 'to effect change'.",
        [
            "They mean exactly the same, use either one.",
            "Effect is the verb and affect is the noun.",
        ],
        [],
        short="Usually 'affect' is the verb (the rain affected the game) and 'effect' is the noun "
        "(it had an effect).",
        long_bad="'Effect' is the verb and 'affect' is the noun, so you'd write 'the rain "
        "effected the game' and 'it had a big affect.' An easy trick is that E comes "
        "first in the alphabet, so effect is the action word. Most editors don't care "
        "anyway, since they sound the same.",
    ),
    T(
        "writing",
        [
            "How do I write a good opening line for a story?",
            "What makes the first sentence of a story grab people?",
            "I'm stuck on how to start my short story.",
        ],
        "Strong openings usually raise a question the reader wants answered. You can start in the "
        "middle of an action, introduce a character with a distinctive voice, or state something "
        "surprising. For example: 'The letter arrived six years after my grandmother died, in her "
        "handwriting.' Don't worry about getting it perfect first; many writers rewrite the opening "
        "once the story is done.",
        [
            "Always start with 'Once upon a time.'",
            "Start by describing the weather in detail for a page or two.",
        ],
        [],
        short="Raise a question the reader wants answered, for example by starting mid-action or "
        "with something surprising.",
        long_bad="The best openings describe the setting in as much detail as possible before "
        "anything happens, ideally the weather and the landscape. Readers need a few "
        "pages to settle in, so save the interesting parts for later. Starting with 'It "
        "was a dark and stormy night' is a classic for a reason.",
    ),
    T(
        "writing",
        [
            "How do I write a thank-you note after a job interview?",
            "Should I send a thank-you email after an interview, and what should it say?",
            "What's a good follow-up message after a job interview?",
        ],
        "Yes, it's a good idea to send one within a day. Keep it brief: thank the interviewer for their "
        "time, mention one specific thing you discussed, and restate your interest. For example: 'Thank "
        "you for talking with me today about the analyst role. I enjoyed hearing about the new "
        "reporting project, and I'm excited about contributing to it.' Proofread names carefully.",
        [
            "Don't bother, it makes you look desperate.",
            "Send a long email asking when they'll decide, and follow up daily.",
        ],
        [],
        short="Send a short email within a day thanking them, mentioning one thing you discussed, "
        "and restating your interest.",
        long_bad="Thank-you notes make you look desperate, so skip them. If you want to stand "
        "out, send a long email the same evening asking when they'll decide, and follow "
        "up every day after that until they answer. Hiring managers appreciate "
        "persistence far more than politeness.",
    ),
    # ---------------------------------------------------------------- science
    T(
        "science",
        [
            "Why is the sky blue?",
            "What makes the sky look blue during the day?",
            "Can you explain simply why we see a blue sky?",
        ],
        "Sunlight contains all colors. As it passes through the atmosphere, it scatters off gas "
        "molecules, and shorter wavelengths like blue scatter much more than longer ones like red; this "
        "is called Rayleigh scattering. So blue light reaches our eyes from every direction of the sky. "
        "At sunset the light travels through more air, much of the blue is scattered away, and we see "
        "more red and orange.",
        ["Because it reflects the ocean.", "Nobody really knows, it's one of those mysteries."],
        [
            (
                "Then why isn't the sky violet?",
                "Violet scatters even more, but sunlight contains less violet, some is absorbed high in the "
                "atmosphere, and our eyes are more sensitive to blue. Together that makes the sky look blue.",
                "It actually is violet, you're just seeing it wrong.",
            )
        ],
        short="Air molecules scatter the short blue wavelengths of sunlight much more than red "
        "ones, so blue light reaches us from all over the sky.",
        long_bad="The sky is blue because it reflects the color of the oceans, which cover most "
        "of the planet. That's also why the sky looks grayer over deserts and big "
        "cities, where there's less water nearby. At sunset it turns orange because the "
        "sun reflects off the land instead.",
    ),
    T(
        "science",
        [
            "How do vaccines work?",
            "Can you explain how a vaccine protects you?",
            "What does a vaccine actually do in the body?",
        ],
        "A vaccine shows your immune system a harmless piece or version of a germ, such as an "
        "inactivated virus, a protein, or instructions to make a protein. Your immune system learns to "
        "recognize it and makes antibodies and memory cells. If you later meet the real germ, your body "
        "can respond faster and more strongly, which prevents illness or makes it milder.",
        [
            "Vaccines work by giving you the full disease so you get it over with.",
            "They just do, it's complicated.",
        ],
        [],
        short="A vaccine shows your immune system a harmless piece or version of a germ so it can "
        "recognize and fight the real one later.",
        long_bad="Vaccines are a really complex area of science, and immunology takes many years "
        "to study. There's a lot of information out there, and some of it is "
        "contradictory. Researchers are always learning more. It's probably one of those "
        "things that's best left to the experts to understand.",
    ),
    T(
        "science",
        [
            "What causes the seasons?",
            "Why is it colder in winter? Is the Earth farther from the Sun?",
            "How do seasons work?",
        ],
        "Seasons are caused by the tilt of Earth's axis, about 23.5 degrees, not by distance from the "
        "Sun. As Earth orbits, one hemisphere leans toward the Sun and gets more direct sunlight and "
        "longer days, which is summer there, while the other hemisphere has winter. In fact, Earth is "
        "closest to the Sun in early January, during the northern winter.",
        [
            "Winter happens when the Earth is farthest from the Sun.",
            "The Sun gets weaker in winter.",
        ],
        [],
        short="Earth's tilted axis, not its distance from the Sun: the hemisphere tilted toward "
        "the Sun gets more direct light and longer days.",
        long_bad="Seasons happen because Earth's orbit is a long oval. In winter we're much "
        "farther from the Sun, so less heat reaches us, and in summer we swing close "
        "again. That's why the whole planet has winter at the same time, in January, "
        "when Earth is at its farthest point.",
    ),
    T(
        "science",
        [
            "How does photosynthesis work?",
            "What do plants do with sunlight?",
            "Can you explain photosynthesis in simple terms?",
        ],
        "Plants capture light energy with chlorophyll, mostly in their leaves. They use that energy to "
        "combine carbon dioxide from the air with water from the soil, making glucose, a sugar they use "
        "for energy and growth, and releasing oxygen as a by-product. In short: carbon dioxide + water + "
        "light gives sugar + oxygen.",
        [
            "Plants eat soil to grow and sunlight just keeps them warm.",
            "Photosynthesis is when plants breathe in oxygen and breathe out carbon dioxide.",
        ],
        [],
        short="Plants use light energy to turn carbon dioxide and water into sugar for food, "
        "releasing oxygen.",
        long_bad="Photosynthesis is how plants breathe: they take in oxygen through their leaves "
        "and breathe out carbon dioxide, just like us. Sunlight's main job is to keep "
        "the leaves warm so they don't freeze. The actual food comes from the soil, "
        "which the roots eat.",
    ),
    T(
        "science",
        [
            "Why do we have leap years?",
            "What's the point of February 29?",
            "How do leap years work?",
        ],
        "Earth takes about 365.24 days to orbit the Sun, so a 365-day calendar would drift by about a "
        "day every four years. Adding February 29 every four years fixes most of that. Because 0.24 is "
        "slightly less than a quarter, century years are skipped unless divisible by 400: 1900 was not a "
        "leap year, but 2000 was.",
        [
            "Leap years were added to give people an extra holiday.",
            "Every year divisible by 2 is a leap year.",
        ],
        [],
        short="A year is about 365.24 days, so adding February 29 every four years keeps the "
        "calendar in step with the seasons.",
        long_bad="February is an interesting month. It's the shortest of the year and has "
        "Valentine's Day right in the middle. Some countries celebrate carnival around "
        "then too. A lot of people find late winter a bit gloomy, so having a few "
        "holidays then is nice.",
    ),
    T(
        "science",
        [
            "What is a black hole?",
            "How do black holes form?",
            "Can you explain what a black hole is?",
        ],
        "A black hole is a region where matter is packed so densely that gravity prevents anything, "
        "even light, from escaping once it crosses the boundary called the event horizon. Many form when "
        "a very massive star runs out of fuel and its core collapses. Though we can't see them directly, "
        "we detect them by their effects on nearby stars and gas, and by gravitational waves from "
        "mergers.",
        [
            "A black hole is a hole in space that leads to another universe.",
            "It's just a dark star.",
        ],
        [],
        short="A region where gravity is so strong that nothing, not even light, can escape; many "
        "form when massive stars collapse.",
        long_bad="A black hole is basically a tunnel through space that connects our universe to "
        "another one. They're empty inside, which is why they look black, and spaceships "
        "could fly through them to travel faster than light. Astronomers have already "
        "sent probes into a few nearby ones.",
    ),
    T(
        "science",
        [
            "Why does ice float?",
            "Why doesn't ice sink in water?",
            "Isn't solid stuff supposed to be heavier than liquid? Why does ice float?",
        ],
        "Most substances are denser as solids, but water is unusual. When it freezes, hydrogen bonds "
        "lock the molecules into an open hexagonal structure that takes up more space, so ice is about "
        "9 percent less dense than liquid water, and less dense things float. This matters in nature: "
        "lakes freeze from the top, and the ice insulates the water below so fish survive.",
        [
            "Ice floats because it has air bubbles in it, that's the only reason.",
            "Ice doesn't float, it just looks like it.",
        ],
        [],
        short="Water expands into an open crystal structure when it freezes, so ice is less dense "
        "than liquid water and floats.",
        long_bad="Ice only floats because of the air bubbles trapped inside it when it freezes. "
        "If you made perfectly clear ice with no bubbles, it would sink straight to the "
        "bottom like any other solid. That's why icebergs sit mostly underwater: they're "
        "the ones with fewer bubbles.",
    ),
    T(
        "science",
        [
            "What's the difference between weather and climate?",
            "If it's cold today, doesn't that disprove global warming?",
            "How is climate different from weather?",
        ],
        "Weather is the day-to-day state of the atmosphere: today's temperature, rain or wind. Climate "
        "is the long-term pattern of weather in a place, usually averaged over 30 years or more. One "
        "cold day or even a cold winter is weather; global warming refers to the long-term rise in "
        "average temperatures across the whole planet, which is clear in decades of records.",
        ["They're the same thing.", "Yes, a cold day proves the climate isn't changing."],
        [],
        short="Weather is day-to-day conditions and climate is the long-term pattern over "
        "decades, so one cold day doesn't disprove warming.",
        long_bad="Weather and climate are really just two words for the same thing, so a cold day "
        "does tell you something about the climate. If global warming were real, every "
        "day would be warmer than the same day the year before. A cold snap proves the "
        "trend has stopped.",
    ),
    T(
        "science",
        [
            "How do magnets work?",
            "Why do magnets attract some metals but not others?",
            "What makes something magnetic?",
        ],
        "Magnetism comes from moving electric charges and from a property of electrons called spin. In "
        "most materials the tiny magnetic effects of electrons point in random directions and cancel "
        "out. In ferromagnetic materials like iron, nickel and cobalt, they line up in regions called "
        "domains, creating a strong overall field. That's why a magnet sticks to iron but not to "
        "aluminum or copper.",
        [
            "Magnets attract all metals equally.",
            "It's just a natural force, there's no explanation.",
        ],
        [],
        short="In iron, nickel and cobalt the tiny magnetic effects of electrons line up instead "
        "of canceling out; most other metals don't do that.",
        long_bad="Magnets are fun to play with, and kids love them. You can find them on fridges "
        "all over the world, holding up photos and shopping lists. Some people even "
        "collect souvenir magnets from the places they've visited. They make great small "
        "gifts.",
    ),
    T(
        "science",
        ["How does a rainbow form?", "Why do rainbows appear after rain?", "What makes a rainbow?"],
        "A rainbow forms when sunlight enters raindrops, bends (refracts), reflects off the back of the "
        "drop, and bends again on the way out. Different colors bend by slightly different amounts, so "
        "the white light spreads into a spectrum. You see one when the Sun is behind you and rain is in "
        "front of you, which is why they often appear as showers clear.",
        [
            "Rainbows are reflections of flowers in the clouds.",
            "They're just an optical illusion with no real cause.",
        ],
        [],
        short="Sunlight bends and reflects inside raindrops, and each color bends slightly "
        "differently, spreading white light into a spectrum.",
        long_bad="Rainbows happen when sunlight reflects off wet leaves and grass and bounces up "
        "into the clouds, which act like a screen. That's why they only appear over "
        "green areas and never over the sea. The colors come from the different plants "
        "the light hits on the way.",
    ),
    T(
        "science",
        ["What is DNA?", "Can you explain DNA in simple words?", "What does DNA actually do?"],
        "DNA is a long molecule inside cells that stores the instructions for building and running an "
        "organism. It's shaped like a twisted ladder, a double helix, and the order of its four bases "
        "(A, T, C and G) encodes genes. Cells read genes to make proteins, which do most of the work in "
        "the body. When cells divide, DNA is copied so each new cell gets the instructions.",
        ["DNA is a kind of vitamin.", "It's a complicated chemical, you don't need to know."],
        [],
        short="DNA is a molecule in your cells that stores the instructions, as genes, for "
        "building and running your body.",
        long_bad="DNA is a type of protein your body gets from food, mostly from meat and dairy. "
        "It gives you energy and helps your muscles grow, which is why athletes try to "
        "eat a lot of it. The more DNA you eat, the stronger your genes get.",
    ),
    T(
        "science",
        ["Why do we get hiccups?", "What causes hiccups?", "Is there any way to stop hiccups?"],
        "Hiccups are sudden involuntary contractions of the diaphragm, the muscle under your lungs, "
        "followed by the vocal cords snapping shut, which makes the 'hic' sound. They can be triggered "
        "by eating quickly, fizzy drinks or excitement. Most stop on their own; sipping cold water or "
        "holding your breath briefly helps some people. Hiccups lasting more than two days are worth "
        "mentioning to a doctor.",
        [
            "Hiccups mean someone is thinking about you.",
            "Nothing stops hiccups, you just have to wait.",
        ],
        [],
        short="They're sudden spasms of the diaphragm; they usually stop on their own, and "
        "sipping cold water helps some people.",
        long_bad="Hiccups happen to everyone, and there are lots of funny stories about them. "
        "Babies get them all the time, even before they're born. Every family seems to "
        "have its own favorite cure passed down by a grandparent. Some are pretty "
        "creative, which is part of the fun.",
    ),
    T(
        "science",
        [
            "How do airplanes stay in the air?",
            "What keeps a plane from falling out of the sky?",
            "Can you explain lift in simple terms?",
        ],
        "Wings are shaped and angled so that, as the plane moves forward, they push air downward and "
        "the air pressure above the wing is lower than below it. The result is an upward force called "
        "lift. Engines provide thrust to keep the plane moving fast enough for the wings to generate "
        "enough lift to balance the plane's weight.",
        [
            "Planes are lighter than air, like balloons.",
            "The engines point downward and push the plane up.",
        ],
        [],
        short="Wings push air downward as the plane moves forward, creating lift, and the engines "
        "keep it moving fast enough.",
        long_bad="Airplanes are filled with a special light gas, a bit like helium, that makes "
        "them lighter than the air around them. The wings are mainly there for steering "
        "and balance. That's why planes need such long runways: they have to wait for "
        "the gas to warm up before they float.",
    ),
    # ---------------------------------------------------------------- misc everyday
    T(
        "everyday",
        [
            "How do I jump-start a car?",
            "My car battery is dead. How do I use jumper cables?",
            "What order do jumper cables go on?",
        ],
        "With both cars off, connect red to the dead battery's positive (+) terminal, then red to the "
        "good battery's positive. Connect black to the good battery's negative (-), and finally the "
        "other black clamp to an unpainted metal part of the dead car's engine, away from the battery. "
        "Start the working car, wait a few minutes, then start the dead one. Remove the cables in "
        "reverse order. Check your owner's manual, as some cars differ.",
        [
            "Connect the cables however you like, the order doesn't matter.",
            "Just push the car down a hill and it'll start.",
        ],
        [],
        short="Red to the dead battery's +, red to the good +, black to the good -, and the last "
        "black to bare metal on the dead car; then start the good car.",
        long_bad="The order doesn't really matter, so clip the cables on however is easiest and "
        "try starting both cars at the same time. If the dead car doesn't start straight "
        "away, the battery is finished and jumping it won't help, so you'll need a tow "
        "and a new battery.",
    ),
    T(
        "everyday",
        [
            "How do I change a flat tire?",
            "I have a flat and a spare. What are the steps?",
            "Can you walk me through changing a tire?",
        ],
        "Park on flat ground away from traffic, turn on hazard lights and apply the parking brake. "
        "Loosen the lug nuts slightly while the wheel is on the ground, then jack up the car at the "
        "point shown in the manual. Remove the nuts and the flat, fit the spare, and hand-tighten the "
        "nuts in a star pattern. Lower the car and tighten them fully. Many spares are only for short "
        "distances at low speed, so get the tire repaired soon.",
        [
            "Jack up the car first and then try to loosen the nuts while it's in the air.",
            "Just keep driving on the flat, it's fine.",
        ],
        [],
        short="Loosen the lug nuts slightly, jack up the car, fit the spare, and tighten the nuts "
        "in a star pattern.",
        long_bad="Cars are really complicated machines these days, and every model is a bit "
        "different. There are so many tools and parts involved that it's easy to get "
        "confused. Lots of people go their whole lives without ever doing this. It's "
        "really best not to try if you're not a mechanic.",
    ),
    T(
        "everyday",
        [
            "How can I be more productive working from home?",
            "I get distracted working from home. Any tips?",
            "How do I stay focused when I work remotely?",
        ],
        "Set a regular start and finish time and a dedicated workspace, even a corner of a table. Plan "
        "your top three tasks each morning, and do the hardest one first. Turn off non-essential "
        "notifications and batch email into set times. Take real breaks away from the screen, and at "
        "the end of the day close your laptop so work doesn't spill into the evening.",
        [
            "Work from bed with the TV on, it's more relaxing.",
            "Working from home just isn't productive, you can't fix it.",
        ],
        [],
        short="Keep set hours and a dedicated workspace, plan your top three tasks each morning, "
        "and silence notifications.",
        long_bad="Working from home has become really common in the last few years, and there's a "
        "lot of discussion about it. Some people love it and some people miss the "
        "office. It has pros and cons, and every job is a little different. Ultimately "
        "you have to decide what works for you.",
    ),
    T(
        "everyday",
        [
            "How do I make small talk with people I don't know?",
            "I'm awkward at parties. How do I start conversations?",
            "Any tips for making conversation with strangers?",
        ],
        "Open with something you share in the moment: the event, the food, how they know the host. Ask "
        "open questions that can't be answered with yes or no, like 'What got you into that?', and "
        "follow up on what they say. Share a bit about yourself too so it doesn't feel like an "
        "interview. It's fine to end politely: 'It was great talking to you, I'm going to grab a drink.'",
        [
            "Just talk about yourself, people love that.",
            "If you're awkward, you'll always be awkward.",
        ],
        [],
        short="Comment on something you share, like the event or the food, then ask open "
        "questions and follow up on the answers.",
        long_bad="The trick is to talk about yourself as much as possible so the other person "
        "gets to know you quickly. Prepare a list of your achievements in advance and go "
        "through it. Avoid asking questions, because it puts people on the spot, and "
        "never end the conversation first, since that's rude.",
    ),
    T(
        "everyday",
        [
            "How do I remove a stripped screw?",
            "The head of this screw is stripped and my screwdriver just spins. What can I do?",
            "Any tricks for getting out a screw that's stripped?",
        ],
        "Try pressing a wide rubber band flat between the screwdriver and the screw head for extra grip, "
        "and push down firmly while turning slowly. A slightly larger bit or a different type of bit can "
        "also catch. If that fails, a screw extractor kit, which bites into the head as you turn it "
        "counterclockwise, is made for this. Pliers can grip a screw head that sticks out.",
        [
            "Hit it with a hammer until it breaks.",
            "Stripped screws can't be removed, you'll have to leave it.",
        ],
        [],
        short="Press a wide rubber band between the bit and the screw head for extra grip, or use "
        "a screw extractor.",
        long_bad="Turn the screwdriver faster and harder in the same direction, because stripped "
        "screws just need more force. Pushing down doesn't help, so keep the pressure "
        "light. If that still fails, a few drops of glue on the head will give the "
        "screwdriver something to grab onto.",
    ),
    T(
        "everyday",
        [
            "How do I convert Celsius to Fahrenheit?",
            "What's the formula to go from Celsius to Fahrenheit?",
            "If it's 20 degrees Celsius, what is that in Fahrenheit?",
        ],
        "Multiply the Celsius temperature by 9/5 (or 1.8) and add 32. For example, 20°C × 1.8 = 36, and "
        "36 + 32 = 68°F. To go the other way, subtract 32 and multiply by 5/9. A quick mental "
        "approximation is to double the Celsius number and add 30, which gets you close for everyday "
        "temperatures.",
        ["Just add 10 to the Celsius number.", "Double it. 20°C is 40°F."],
        [],
        short="Multiply by 1.8 and add 32, so 20°C is 68°F.",
        long_bad="Just double the Celsius number and you'll have the Fahrenheit temperature "
        "exactly, so 20°C is 40°F. The two scales were designed to line up that way. "
        "Adding 32 is only needed for temperatures below freezing, which is why people "
        "sometimes mention it.",
    ),
    T(
        "everyday",
        [
            "How do I get better at public speaking?",
            "I get very nervous giving presentations. How can I improve?",
            "What are some tips for speaking in front of a group?",
        ],
        "Practice out loud several times, ideally in front of a friend or by recording yourself. Know "
        "your first minute very well, since nerves are worst at the start. Use short notes with key "
        "points rather than a script. Slow down, pause between ideas, and look at a few friendly faces. "
        "Nervousness is normal; it usually fades as you get more practice.",
        [
            "Memorize everything word for word and never look at the audience.",
            "Some people just can't speak in public.",
        ],
        [],
        short="Practice out loud several times, know your first minute well, and slow down, using "
        "short notes.",
        long_bad="Public speaking is something a lot of people are afraid of, maybe even more "
        "than other fears. It's totally natural. Everyone is different, and there isn't "
        "one correct way to give a talk. Just remember that you're doing your best, and "
        "that's really all anyone can ask.",
    ),
    T(
        "everyday",
        [
            "How do I wash a wool sweater?",
            "Can I put a wool sweater in the washing machine?",
            "What's the best way to clean wool without shrinking it?",
        ],
        "Check the care label first. Hand wash in cool or lukewarm water with a wool-specific or gentle "
        "detergent, and don't wring or scrub, which causes felting and shrinking. Gently squeeze out "
        "water, roll it in a towel, and dry it flat in its shape, away from direct heat. Some machines "
        "have a wool cycle that's safe if the label allows it.",
        [
            "Hot water and the dryer are best, it gets wool really clean.",
            "Wool can't be washed, only dry cleaned.",
        ],
        [],
        short="Hand wash it in cool water with a gentle detergent, or use a wool cycle if the "
        "label allows, and dry it flat.",
        long_bad="Wool gets cleanest in the hottest wash your machine has, and a long tumble dry "
        "afterward fluffs up the fibers. If it shrinks a little, that's normal and it "
        "will stretch back as you wear it. Regular detergent is fine; wool products are "
        "just a marketing trick.",
    ),
    T(
        "everyday",
        [
            "What's a good way to remember people's names?",
            "I always forget names right after I meet someone. Any tricks?",
            "How can I get better at remembering names?",
        ],
        "Say the name back when you're introduced ('Nice to meet you, Priya') and use it once more in "
        "the conversation. Link it to something memorable, like a friend with the same name or a "
        "picture that the name suggests. Afterward, jot it down with a detail about the person. Most "
        "forgetting happens because we're not paying attention in the first few seconds.",
        [
            "Just call everyone 'buddy' so you don't have to remember.",
            "Memory is genetic, you can't improve it.",
        ],
        [],
        short="Repeat the name back when you're introduced and use it once more during the "
        "conversation.",
        long_bad="Memory is a funny thing, and some people are just naturally better with names "
        "than others. It might be genetic, or it might be about how you grew up. Lots of "
        "very successful people say they're terrible with names. I wouldn't worry about "
        "it too much.",
    ),
    T(
        "everyday",
        [
            "How do I politely say no to extra work?",
            "My coworkers keep asking me to take on their tasks. How can I refuse nicely?",
            "What's a polite way to turn down a request at work?",
        ],
        "Be clear, friendly and brief. For example: 'I'd like to help, but I'm fully booked with the "
        "launch this week, so I can't take that on.' If it's your manager asking, ask about priorities: "
        "'I can do that, but it would push back the report. Which should come first?' Offering a "
        "smaller alternative, like reviewing their draft, keeps goodwill without overloading you.",
        [
            "Just ignore their messages until they stop asking.",
            "You can't say no at work, you'll get fired.",
        ],
        [],
        short="Keep it brief and friendly: 'I'd like to help, but I'm fully booked this week, so "
        "I can't take that on.'",
        long_bad="The best way is never to give a direct answer. Say something like 'maybe, let "
        "me see' and then don't follow up, and eventually they'll stop asking. Saying no "
        "outright makes you look lazy, so it's better to quietly avoid the work than to "
        "refuse it.",
    ),
    T(
        "everyday",
        [
            "How do I choose a good watermelon?",
            "What should I look for when buying a watermelon?",
            "How can you tell if a watermelon is ripe?",
        ],
        "Look for a large creamy-yellow 'field spot' where it rested on the ground; white or greenish "
        "spots suggest it was picked early. It should feel heavy for its size and have a dull rather "
        "than shiny rind. Many people also tap it: a ripe melon tends to sound deep and hollow.",
        [
            "The greener and shinier it is, the riper it is.",
            "All watermelons taste the same, just grab any.",
        ],
        [],
        short="Look for a creamy-yellow field spot, a dull rind, and a melon that feels heavy for "
        "its size.",
        long_bad="Pick the smallest, shiniest melon with no yellow patches at all, because any "
        "yellow means it has started to rot. A ripe watermelon should sound high and "
        "solid when you tap it. Light ones are best, since heavy melons are mostly water "
        "and have less flavor.",
    ),
    T(
        "everyday",
        [
            "How do I tie a tie?",
            "What's the easiest knot for a necktie?",
            "I have a wedding tomorrow and I can't tie a tie. Help?",
        ],
        "The four-in-hand is the easiest. Drape the tie so the wide end hangs about a foot lower than "
        "the narrow end. Cross the wide end over the narrow end, bring it back underneath, then across "
        "the front again. Push it up through the loop around your neck from underneath, and down "
        "through the front knot you just made. Tighten by holding the narrow end and sliding the knot "
        "up. The tip should reach about your belt buckle.",
        ["Just tie it like a shoelace.", "Buy a clip-on, real ties are too hard."],
        [],
        short="For a four-in-hand, cross the wide end over, wrap it around once, bring it up "
        "through the neck loop and down through the knot.",
        long_bad="Ties have a really long history. They probably started with soldiers in the "
        "1600s, and over the centuries they've come in every width and pattern you can "
        "imagine. Bow ties go in and out of fashion too. Wearing a nice tie can make you "
        "feel confident.",
    ),
    T(
        "everyday",
        [
            "Is it better to rent or buy a home?",
            "Should I buy a house or keep renting?",
            "How do I decide whether buying a home makes sense for me?",
        ],
        "It depends on how long you'll stay, your finances and local prices. Buying tends to make more "
        "sense if you plan to stay at least five years or so, have a down payment and emergency savings, "
        "and the monthly cost including taxes, insurance and maintenance is affordable. Renting gives "
        "flexibility and fewer surprise costs. A rent-versus-buy calculator with your local numbers is "
        "a good starting point.",
        [
            "Always buy, renting is throwing money away.",
            "Nobody can afford houses anymore, don't even think about it.",
        ],
        [],
        short="Buying tends to pay off if you'll stay five or more years and can afford the down "
        "payment and upkeep; otherwise renting is often better.",
        long_bad="Buying is always better, because renting is just throwing money away. Even if "
        "you might move in a year or two, a house is a guaranteed investment that only "
        "goes up in value. Don't worry about savings or maintenance costs; the bank "
        "wouldn't lend you the money if you couldn't afford it.",
    ),
    T(
        "everyday",
        [
            "How do I make my phone battery last longer?",
            "My phone dies by mid-afternoon. What can I change?",
            "Tips to save battery on a smartphone?",
        ],
        "Screen brightness is usually the biggest drain, so lower it or use auto-brightness. Check the "
        "battery settings to see which apps use the most, and restrict background activity for those. "
        "Turn off location for apps that don't need it, and use low-power mode when you're running low. "
        "If the battery is several years old, it may have worn down and need replacing.",
        [
            "Put your phone in the freezer overnight to recharge the battery.",
            "Phones just die, buy a new one.",
        ],
        [],
        short="Lower the screen brightness, limit background activity for battery-hungry apps, "
        "and use low-power mode.",
        long_bad="Always let your phone drain to zero before charging, then leave it plugged in "
        "overnight to fully reset the battery. Closing all your apps every few minutes "
        "also saves a lot of power. Screen brightness makes no difference on modern "
        "phones, so keep it at full.",
    ),
    T(
        "everyday",
        [
            "What should I do if my laptop gets wet?",
            "I spilled coffee on my laptop keyboard. What now?",
            "How do I save a laptop after a liquid spill?",
        ],
        "Turn it off immediately and unplug it. If you can remove the battery, do so. Tip it upside "
        "down in a tent shape so liquid drains away from the inside, and wipe what you can reach. Let it "
        "dry for at least 24 to 48 hours before trying to turn it on. Sugary drinks like coffee with "
        "sugar can leave residue, so a repair shop cleaning is often worth it.",
        [
            "Keep using it so the heat dries it out.",
            "Dry it quickly with a hair dryer on the hottest setting.",
        ],
        [],
        short="Turn it off and unplug it right away, tip it upside down to drain, and let it dry "
        "for at least a day or two.",
        long_bad="Keep it running so the heat from the processor dries the liquid out faster. If "
        "some keys stop working, give the laptop a few firm shakes to get the water out. "
        "It should be fine by the next morning, so there's no need to take it anywhere.",
    ),
    T(
        "everyday",
        [
            "How can I make a good first impression at a new job?",
            "I start a new job on Monday. How do I make a good start?",
            "Any advice for the first week at a new job?",
        ],
        "Arrive a little early, learn people's names, and ask lots of questions, since nobody expects "
        "you to know everything yet. Take notes so you don't have to ask the same thing twice. Ask your "
        "manager what success looks like in the first month, and look for a small task you can finish "
        "well early on. Being friendly and reliable matters more than being impressive.",
        [
            "Tell everyone how they should be doing their jobs better.",
            "First impressions don't matter.",
        ],
        [],
        short="Arrive a little early, learn people's names, ask lots of questions, and take notes.",
        long_bad="The first week is your chance to show everyone how much you know, so point out "
        "whatever they could be doing better, even before you understand how things "
        "work. Avoid asking questions, since that makes you look inexperienced, and skip "
        "team lunches to show you're focused.",
    ),
    T(
        "everyday",
        [
            "How do I get my toddler to eat vegetables?",
            "My three-year-old refuses anything green. Any ideas?",
            "What are some ways to help picky kids try new foods?",
        ],
        "Keep offering small amounts without pressure; many children need to see a food 10 or more "
        "times before they accept it. Serve one new food alongside something they already like, let "
        "them help wash or stir vegetables, and eat them yourself where they can see. Avoid bribes or "
        "battles, which tend to make picky eating worse. Different textures, like roasted or raw, can "
        "also help.",
        [
            "Make them sit at the table until they eat everything, no matter how long.",
            "Kids don't need vegetables.",
        ],
        [],
        short="Keep offering small amounts next to foods they like, without pressure, and eat "
        "vegetables where they can see you.",
        long_bad="Toddlers go through so many phases, and it can be exhausting. One week they "
        "love something and the next they won't touch it. Lots of parents swap stories "
        "about this online. It's just one of those parts of parenting that everyone goes "
        "through sooner or later.",
    ),
    T(
        "everyday",
        [
            "How do I introduce a new cat to my dog?",
            "I'm adopting a cat and I already have a dog. How do I help them get along?",
            "What's the best way to introduce pets to each other?",
        ],
        "Go slowly. Keep the cat in a separate room for a few days with its own food, litter and bed. "
        "Swap bedding so each gets used to the other's scent. Then let them see each other through a "
        "baby gate or cracked door while the dog is on a leash, rewarding calm behavior. Gradually "
        "increase time together, always give the cat high places to escape to, and don't leave them "
        "alone together until you're confident.",
        [
            "Put them in the same room and let them sort it out.",
            "Cats and dogs can never live together.",
        ],
        [],
        short="Go slowly: keep the cat in its own room at first, swap bedding for scent, then "
        "have short leashed meetings through a gate.",
        long_bad="The quickest way is to put them in the same room right away and let them sort "
        "it out. Animals are good at settling their own disagreements, and keeping them "
        "apart only makes them more curious. If the cat hisses, just let them keep going "
        "until they get used to each other.",
    ),
    T(
        "everyday",
        [
            "How do I write a check?",
            "I've never written a check before. What goes where?",
            "Can you explain how to fill out a paper check?",
        ],
        "Write the date in the top right. On the 'Pay to the order of' line, write the name of the person "
        "or company. Put the amount in numbers in the small box, for example 45.50, and write it in "
        "words on the line below, like 'Forty-five and 50/100', then draw a line to fill the gap. Add a "
        "note in the memo line if you want, and sign the bottom right. Record it in your register.",
        [
            "Just sign it and leave everything else blank, they'll fill it in.",
            "Nobody uses checks anymore, you don't need to know.",
        ],
        [],
        short="Fill in the date, the payee, the amount in numbers and in words, then sign at the "
        "bottom right.",
        long_bad="Checks are pretty old-fashioned these days, and most people pay by card or "
        "phone now. Banks have all sorts of different designs and rules. Honestly, it "
        "might be simpler to ask someone at your bank or find another way to pay. "
        "There's no real need to learn this.",
    ),
    T(
        "everyday",
        [
            "How do I start running if I've never run before?",
            "What's a good beginner plan for running?",
            "I get out of breath after one minute of running. How do I build up?",
        ],
        "Alternate running and walking. For example, run for one minute and walk for two, repeated for "
        "20 minutes, three times a week. Each week, lengthen the running intervals slightly. Go at a "
        "pace where you could still talk. Good shoes and rest days help prevent injuries, and getting "
        "out of breath early on is completely normal.",
        [
            "Run as far and fast as you can until you can't anymore, every day.",
            "Running isn't for everyone, if you get out of breath you should stop.",
        ],
        [],
        short="Alternate one minute of easy running with two minutes of walking for 20 minutes, "
        "three times a week, and build up gradually.",
        long_bad="Start by running as far as you can every day until you physically can't go on, "
        "since pushing through the pain is how fitness is built. Walking breaks just "
        "slow your progress. If you're out of breath after a minute, that means you're "
        "not trying hard enough.",
    ),
    T(
        "everyday",
        [
            "How can I learn to cook as an adult?",
            "I'm in my thirties and can barely cook. Where should I start?",
            "What dishes should a beginner cook learn first?",
        ],
        "Start with a handful of versatile basics: scrambled eggs, a simple pasta with tomato sauce, a "
        "stir-fry, roasted vegetables and a sheet-pan chicken. Each teaches a core skill like controlling "
        "heat, seasoning or timing. Follow recipes closely at first, taste as you go, and cook the same "
        "dish a few times. A sharp knife and a good pan make everything easier.",
        [
            "Start with a five-course French dinner to challenge yourself.",
            "If you didn't learn as a kid, it's too late.",
        ],
        [],
        short="Start with a few basics, like scrambled eggs, tomato pasta and a stir-fry, and "
        "cook each one a few times.",
        long_bad="Cooking is a wonderful skill, and there's so much to discover. Food brings "
        "people together, and every culture has its own traditions. It can be relaxing, "
        "creative and rewarding all at once. The most important thing is to enjoy the "
        "journey and not put too much pressure on yourself.",
    ),
    T(
        "everyday",
        [
            "What's the best way to clean an oven?",
            "How do I clean a really greasy oven without harsh chemicals?",
            "My oven is covered in baked-on grime. How do I clean it?",
        ],
        "Remove the racks and soak them in hot soapy water. Make a paste of baking soda and a little "
        "water, spread it over the inside (avoiding heating elements), and leave it overnight. Wipe it "
        "off with a damp cloth and a plastic scraper, then spray a little white vinegar on remaining "
        "residue and wipe again. If your oven has a self-cleaning cycle, follow the manual and ventilate "
        "the room.",
        ["Light a fire in the oven to burn the grime off.", "Ovens don't need cleaning."],
        [],
        short="Spread a baking soda and water paste inside, leave it overnight, then wipe it off "
        "and finish with a little vinegar.",
        long_bad="Ovens don't really need cleaning, because the heat sterilizes everything each "
        "time you cook. The dark layer of grime actually protects the surface, a bit "
        "like the seasoning on a cast-iron pan. If it bothers you, just wipe the door "
        "glass and leave the rest alone.",
    ),
    T(
        "everyday",
        [
            "How do I keep my bike chain from rusting?",
            "What's basic bike maintenance I can do at home?",
            "How often should I oil my bicycle chain?",
        ],
        "Wipe the chain with a rag after wet rides, and lubricate it every few hundred kilometers or "
        "whenever it looks dry or squeaks. Apply a drop of bike chain lube to each link while turning "
        "the pedals backward, then wipe off the excess so it doesn't attract dirt. Also check tire "
        "pressure weekly and test the brakes before rides. Store the bike indoors if you can.",
        [
            "Use cooking oil and put on as much as possible.",
            "Rust doesn't matter, bikes last forever.",
        ],
        [],
        short="Wipe the chain after wet rides and put a drop of chain lube on each link, wiping "
        "off the excess.",
        long_bad="Soak the chain in plenty of cooking oil every week, the thicker the better, and "
        "never wipe off the excess. A bit of sand or grit stuck in the oil actually "
        "helps the chain run smoother. Blasting it with a pressure washer right "
        "afterward keeps it looking new.",
    ),
    T(
        "everyday",
        [
            "How can I make friends in a new city?",
            "I just moved and don't know anyone. How do I meet people?",
            "What's a good way to build a social life after moving?",
        ],
        "Repeated contact is what builds friendships, so choose activities that meet regularly: a sports "
        "league, a class, a volunteer group, a choir or a hobby club. Say yes to invitations, even small "
        "ones, and follow up with people you click with by suggesting a specific plan, like coffee next "
        "Saturday. It usually takes a few months, so be patient with yourself.",
        [
            "Just wait at home, people will come to you.",
            "Adults can't make new friends, it's too late.",
        ],
        [],
        short="Join something that meets regularly, like a class or a sports league, and suggest "
        "specific plans with people you click with.",
        long_bad="Making friends as an adult is hard, and many people feel lonely after a move. "
        "Cities can be big and anonymous, and everyone is busy with work and family. "
        "It's just the way things are now, and there may not be much you can do about it "
        "except wait.",
    ),
]
