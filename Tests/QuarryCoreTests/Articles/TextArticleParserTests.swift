import Testing
@testable import QuarryCore

@Suite("TextArticleParser")
struct TextArticleParserTests {
    private func parseFixture(_ path: String, category: String? = nil) throws -> Article {
        let text = try ArticleTestSupport.fixtureText(path)
        return try TextArticleParser.parse(text, id: path, category: category).get()
    }

    /// The seed shape: standfirst, caption + boilerplate on adjacent lines, gallery line,
    /// and the date line as the last line without a final newline.
    @Test func seedShapedArticle() throws {
        let article = try parseFixture("world/001_ferry-strike.txt", category: "world")
        #expect(article.id == "world/001_ferry-strike.txt")
        #expect(article.category == "world")
        #expect(article.title == "Ferry strike leaves island towns ‘cut off’ for third day")
        #expect(article.standfirst == "Crews at the harbour say talks over night-shift pay have stalled as queues grow")
        #expect(article.date == ArticleDate(year: 2024, month: 3, day: 6))
        #expect(article.body.hasPrefix("Passengers wait beside the closed ticket office at Port Avalen on Tuesday. AFP\n\n"))
        #expect(article.body.hasSuffix("fresh milk and bread by Wednesday afternoon."))
        #expect(article.body.contains("“We have offered to meet at any hour, in any place,” said union secretary Mara Quill."))
        for dropped in ["Powered by automated translation", "Live updates", "in pictures", "Updated:", "9:41"] {
            #expect(!article.body.contains(dropped), "\(dropped)")
        }
        #expect(article.body.components(separatedBy: "\n\n").count == 6)
        #expect(!article.body.contains("\n\n\n"))
        #expect(article.text == article.standfirst.map { $0 + "\n\n" + article.body })
        #expect(article.url == nil && article.author == nil && article.extra.isEmpty)
    }

    @Test func publishedDateWinsOverEarlierUpdatedLine() throws {
        let article = try parseFixture("business/002_village-bakery.txt")
        #expect(article.date == ArticleDate(year: 2024, month: 2, day: 12))
        #expect(article.title == "Village bakery doubles output after oven upgrade")
        // Date lines before it are skipped when choosing the standfirst.
        #expect(article.standfirst?.hasPrefix("A family bakery in Little Stenby") == true)
        #expect(!article.body.contains("Read more"))
        #expect(!article.body.contains("Sign up"))
        #expect(!article.body.contains("Published"))
        #expect(article.body.hasSuffix("two apprentices in the spring."))
        #expect(article.body.components(separatedBy: "\n\n").count == 3)
    }

    @Test func longFirstParagraphIsNotAStandfirst() throws {
        let article = try parseFixture("sport/003_rowing-title.txt")
        #expect(article.standfirst == nil)
        #expect(article.date == nil)
        // Single-newline lines are paragraphs too.
        let paragraphs = article.body.components(separatedBy: "\n\n")
        #expect(paragraphs.count == 4)
        #expect(paragraphs.first?.hasPrefix("The Saltmarsh Rowing Club") == true)
        #expect(paragraphs.last == "Next season the crew will race in the national league for the first time.")
        #expect(article.text == article.body)
    }

    @Test func photoCaptionIsNotAStandfirstButStaysInBody() throws {
        let article = try parseFixture("science/004_comet-discovery.txt")
        #expect(article.standfirst == nil)
        #expect(article.body.hasPrefix("A faint green smudge above the horizon was confirmed as a new comet on Sunday. Reuters\n\n"))
        #expect(article.date == ArticleDate(year: 2021, month: 9, day: 5))
        #expect(!article.body.contains("Follow the latest"))
        #expect(!article.body.contains("Posted"))
    }

    @Test func crlfFileWithLookalikeLines() throws {
        let article = try parseFixture("culture/005_lantern-festival.txt")
        #expect(article.title == "Lantern festival returns to the old quarter")
        #expect(article.standfirst == "Organisers expect ‘the biggest crowds in a decade’")
        #expect(article.date == ArticleDate(year: 2022, month: 7, day: 30))
        #expect(!article.body.contains("\r"))
        // Lines that merely start with a keyword are prose, not date lines.
        #expect(article.body.contains("Updated daily schedules will be posted at the town hall, organisers said."))
        #expect(article.body.contains("Date night tickets for the river cruise sold out within an hour."))
        #expect(!article.body.contains("in pictures"))
    }

    @Test func publishedOnWithWeekday() throws {
        let article = try parseFixture("world/europe/006_tram-extension.txt", category: "europe")
        #expect(article.date == ArticleDate(year: 2023, month: 10, day: 24))
        #expect(article.standfirst == "The first trams on the new eastern branch carried commuters on Monday morning.")
        #expect(article.body == "The branch adds six stops and links the station to the university campus.")
    }

    @Test func singleParagraphIsBodyNotStandfirst() throws {
        let article = try parseFixture("007_cycle-lanes.txt")
        #expect(article.standfirst == nil)
        #expect(article.body == "Councillors voted nine to four in favour of the plan on Thursday.")
        #expect(article.text == article.body)
    }

    @Test func emptyAndWhitespaceOnlyAreEmpty() {
        for text in ["", "   ", "\n\n\r\n\t", "\u{FEFF}", "\u{FEFF}  \n", "\u{00A0}\n", "Updated: October 24, 2023"] {
            #expect(throws: SkipReason.empty) { try TextArticleParser.parse(text, id: "x", category: nil).get() }
        }
    }

    @Test func titleOnly() throws {
        let article = try TextArticleParser.parse("  Just a headline  ", id: "a", category: nil).get()
        #expect(article.title == "Just a headline")
        #expect(article.body.isEmpty && article.standfirst == nil && article.text.isEmpty)
    }

    @Test func lineEndingsBOMAndMissingFinalNewline() throws {
        let variants = [
            "\u{FEFF}Title\r\n\r\nShort lede\r\n\r\nFirst para.\r\nSecond para.",
            "Title\n\nShort lede\n\nFirst para.\nSecond para.\n",
            "Title\r\rShort lede\r\rFirst para.\rSecond para.\r",
            "\n\n  Title\n\n\n\nShort lede   \n \n\tFirst para.\n\n\n\nSecond para.\n\n\n",
        ]
        for text in variants {
            let article = try TextArticleParser.parse(text, id: "v", category: "c").get()
            #expect(article.title == "Title")
            #expect(article.standfirst == "Short lede")
            #expect(article.body == "First para.\n\nSecond para.")
            #expect(article.category == "c")
        }
    }

    @Test func datesAnywhereAndFirstOfEachKind() throws {
        let text = """
            Published: 2 Jan 2020
            Headline after a date line

            Updated: 5 Jan 2020

            Lede.

            Body paragraph.

            Published: 3 Jan 2020
            """
        let article = try TextArticleParser.parse(text, id: "d", category: nil).get()
        #expect(article.title == "Headline after a date line")
        #expect(article.date == ArticleDate(year: 2020, month: 1, day: 2))
        #expect(article.standfirst == "Lede.")
        #expect(article.body == "Body paragraph.")

        let updatedOnly = try TextArticleParser.parse("T\n\nA\n\nB\n\nLast updated: 9 Sep 2019", id: "u", category: nil).get()
        #expect(updatedOnly.date == ArticleDate(year: 2019, month: 9, day: 9))
    }

    @Test func boilerplateRules() {
        let dropped = [
            "Powered by automated translation", "POWERED BY AUTOMATED TRANSLATION", "Live updates: anything here",
            "Read more: Another story", "Sign up for our newsletter", "Sign up", "Follow the latest news on the summit",
            "The latest from the Israel-Gaza war – in pictures", "Scenes from the marathon - in pictures",
            "Best of the week — In Pictures",
        ]
        for line in dropped { #expect(ArticleLines.isBoilerplate(line[...]), "\(line)") }
        let kept = [
            "Powered by automated translation, the service now covers twelve languages.",
            "Readers wrote in to complain.", "Signs of recovery are visible.", "Live music returned to the square.",
            "He said the museum has nothing in pictures", // no dash before "in pictures"
            String(repeating: "A long sentence about the war ", count: 8) + "– in pictures",
        ]
        for line in kept { #expect(!ArticleLines.isBoilerplate(line[...]), "\(line)") }
    }

    @Test func captionRules() {
        for line in ["Destroyed buildings after air strikes. EPA", "Crowds at the gate. AFP", "A market. Reuters",
                     "Fans cheer. AP", "The coast at dawn. Getty Images", "Protesters in London. PA",
                     "Smoke over the port. AFP via Getty Images", "Rescue teams at work. EPA."] {
            #expect(ArticleLines.isPhotoCaption(line[...]), "\(line)")
        }
        for line in ["He joined Reuters in 2019.", "The EPA said emissions fell.", "A map",
                     String(repeating: "Long caption text ", count: 20) + ". AFP"] {
            #expect(!ArticleLines.isPhotoCaption(line[...]), "\(line)")
        }
    }

    @Test func curlyQuotesAndUnicodeAreKept() throws {
        let text = "“Quoted” headline — with dash\n\nCafé’s lede\n\nNaïve résumé 日本語 😀 paragraph."
        let article = try TextArticleParser.parse(text, id: "q", category: nil).get()
        #expect(article.title == "“Quoted” headline — with dash")
        #expect(article.standfirst == "Café’s lede")
        #expect(article.body == "Naïve résumé 日本語 😀 paragraph.")
    }

    @Test func standfirstLengthLimit() throws {
        let exact = String(repeating: "a", count: TextArticleParser.maxStandfirstLength)
        let long = exact + "b"
        #expect(try TextArticleParser.parse("T\n\n\(exact)\n\nBody", id: "s", category: nil).get().standfirst == exact)
        #expect(try TextArticleParser.parse("T\n\n\(long)\n\nBody", id: "s", category: nil).get().standfirst == nil)
    }

    @Test func manyParagraphsParseQuickly() throws {
        let paragraph = "Israel is amassing troops and weapons outside the city, officials said on Monday evening."
        let text = "Title\n\n" + Array(repeating: paragraph, count: 20_000).joined(separator: "\n\n")
        let clock = ContinuousClock()
        var article: Article?
        let elapsed = try clock.measure { article = try TextArticleParser.parse(text, id: "big", category: nil).get() }
        #expect(article?.body.utf8.count ?? 0 > 1_000_000)
        #expect(elapsed < .seconds(5), "parsing 20k paragraphs took \(elapsed)")
    }
}
