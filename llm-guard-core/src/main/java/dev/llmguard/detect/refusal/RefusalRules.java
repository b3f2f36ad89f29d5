package dev.llmguard.detect.refusal;

import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * The phrase families a refusal is made of, per language. Each rule names the word, or the pair of
 * adjacent words, it starts with (its triggers: {@code "sorry"}, {@code "i can"}; words are runs of
 * letters, so "can't" is the pair "can t"); the detector tries a rule only where a trigger occurs,
 * anchored there, so the cost is one pass over the words plus a few short anchored matches. Pairs
 * keep common words such as "I" or "no" from starting a match attempt on their own.
 *
 * <p>Rule sources use two shorthands: a space stands for {@code \s+} and an apostrophe for any
 * apostrophe ({@code ' ’ ʼ}). Every repetition is bounded and its parts are disjoint character
 * classes (letters versus white space), so no rule can backtrack catastrophically.
 */
final class RefusalRules {

  /** What kind of evidence a rule gives. */
  enum Family {
    /** A first-person statement of not helping: "I can't help with that". */
    DECLINE,
    /** A policy is cited: "this goes against my guidelines". */
    POLICY,
    /** An apology opener: "I'm sorry, but". Weak alone. */
    APOLOGY,
    /** "As an AI language model …". Weak alone. */
    AI_IDENTITY
  }

  /** One phrase family in one language. */
  record Rule(
      String language, Family family, double weight, List<String> triggers, Pattern pattern) {}

  private static final int FLAGS =
      Pattern.CASE_INSENSITIVE | Pattern.UNICODE_CASE | Pattern.UNICODE_CHARACTER_CLASS;

  /** Longest stretch of text one rule may cover; matches are looked for within it. */
  static final int MAX_RULE_CHARS = 240;

  private static final String EN_HELP_VERBS =
      "(?:help|assist|provide|comply|fulfill|fulfil|do that|do this|do so|create|generate|write"
          + "|produce|share|support|engage|answer|give|complete|continue|participate|offer"
          + "|disclose|reveal|discuss|respond|make|be of assistance|go along|with that|with this"
          + "|with your request|helping|providing|assisting|writing|creating|generating|sharing"
          + "|engaging|giving|discussing)";

  static final List<Rule> RULES =
      List.of(
          // English
          rule(
              "en",
              Family.DECLINE,
              0.9,
              "i can,i cannot,i won,i will,i am,i must,i have,i do,i don",
              "i (?:can't|cannot|can not|won't|will not|am unable to|am not able to|am not going to"
                  + "|won't be able to|will not be able to|am not in a position to"
                  + "|am not allowed to|am not permitted to|do not feel comfortable|don't feel"
                  + " comfortable|am not comfortable|must decline to|have to decline to)"
                  + "(?: (?:really|actually|directly|fully|currently|in good conscience))?"
                  + " "
                  + EN_HELP_VERBS
                  + "(?! but)"),
          rule(
              "en",
              Family.DECLINE,
              0.9,
              "i m",
              "i'm (?:unable to|not able to|not going to|not allowed to|not permitted to"
                  + "|not in a position to"
                  + "|not comfortable|afraid i (?:can't|cannot|won't))"
                  + "(?: (?:really|actually|directly|fully|currently))? "
                  + EN_HELP_VERBS
                  + "(?! but)"),
          rule(
              "en",
              Family.DECLINE,
              0.9,
              "i ll,i will,i must,i have,i need,i m,i d",
              "i(?:'ll| will| must| have to| need to|'m going to|'d have to) (?:have to )?"
                  + "(?:respectfully |politely |kindly )?(?:decline|refuse)"),
          rule(
              "en",
              Family.DECLINE,
              0.85,
              "that s,that is,this s,this is,it s,it is",
              "(?:that|this|it)(?:'s| is) not something i(?:'m able to| am able to| can| will)"
                  + " (?:help|assist|provide|do|support|discuss|share)"),
          rule(
              "en",
              Family.DECLINE,
              0.75,
              "cannot help,cannot assist,cannot comply,can t,can not",
              "(?:cannot|can't|can not) (?:help|assist|comply) (?:with )?(?:that|this|your"
                  + " request|such requests)"),
          rule(
              "en",
              Family.DECLINE,
              0.75,
              "we can,we cannot,we are,we won,we will,we do,we don",
              "we (?:can't|cannot|are unable to|are not able to|won't|will not|do not|don't)"
                  + " (?:help|assist|provide|support|share|disclose) (?:with )?(?:that|this|you"
                  + " with|such|requests|information|details)"),
          rule(
              "en",
              Family.POLICY,
              0.6,
              "i don,i do",
              "i (?:don't|do not) (?:think|believe|feel) (?:it's|it is|it would be|that's|that"
                  + " is|that would be) (?:appropriate|ethical|responsible|right) (?:for me )?to"),
          rule(
              "en",
              Family.POLICY,
              0.7,
              "against,violates,violate,violating,violation,contrary,breach,breaches",
              "(?:(?:goes |go |is |be |would be )?against|violates?|violating|in violation of"
                  + "|violation of|contrary to|breach(?:es)? of|breach) (?:my (?:[\\p{L}-]+ )?"
                  + "|our (?:content |usage |use-case |use case |safety |ethical |acceptable use )"
                  + "|the (?:content |usage |use-case |use case |safety |ethical |acceptable use )"
                  + "|(?:openai|anthropic|microsoft|google|meta)(?:'s)? (?:[\\p{L}-]+ )?)"
                  + "(?:guidelines|policies|policy|programming|principles|terms of (?:use|service)"
                  + "|values)"),
          rule(
              "en",
              Family.POLICY,
              0.7,
              "programmed,designed,instructed",
              "(?:programmed|designed|instructed) (?:not to|to avoid|to refuse|to decline)"
                  + " (?:help|assist|provide|engage|discuss|answer|respond|generate|create|share)"),
          rule(
              "en",
              Family.POLICY,
              0.6,
              "not appropriate,inappropriate",
              "(?:not appropriate|inappropriate) for me to"),
          rule(
              "en",
              Family.APOLOGY,
              0.35,
              "i m,i am,i apologize,i apologise",
              "i(?:'m| am) (?:really |truly |very )?(?:sorry|afraid)|i apologi[sz]e"),
          rule("en", Family.APOLOGY, 0.35, "sorry", "sorry,? (?:but )?(?:i|that|this|we)"),
          rule(
              "en",
              Family.AI_IDENTITY,
              0.45,
              "as an,as a",
              "as an? (?:ai|artificial intelligence|language model|large language model"
                  + "|responsible ai|ai-powered assistant)"),
          rule(
              "en",
              Family.AI_IDENTITY,
              0.3,
              "i m,i am",
              "i(?:'m| am) (?:just |only )?an? (?:ai|artificial intelligence|language model"
                  + "|large language model)"),

          // German
          rule(
              "de",
              Family.DECLINE,
              0.9,
              "ich kann,ich darf,ich werde,ich möchte,kann ich,darf ich",
              "(?:ich (?:kann|darf|werde|möchte)|(?:kann|darf) ich) (?:[\\p{L}]+ ){0,4}?"
                  + "(?:nicht|keine|keinen|keines) (?:[\\p{L}]+ ){0,2}?(?:helfen|weiterhelfen"
                  + "|behilflich|unterstützen|nachkommen|erfüllen|beantworten|bereitstellen|geben"
                  + "|liefern|erstellen|tun|machen|teilen|anbieten|ausführen|schreiben"
                  + "|generieren|verfassen|hilfe|unterstützung|informationen|anleitung"
                  + "|anleitungen|antwort)"),
          rule(
              "de",
              Family.DECLINE,
              0.85,
              "ich bin,bin ich",
              "(?:ich bin|bin ich) (?:leider )?(?:nicht|außerstande) (?:in der lage|befugt|berechtigt"
                  + "|autorisiert|imstande)"),
          rule(
              "de",
              Family.DECLINE,
              0.9,
              "ich muss,ich werde,muss ich,werde ich",
              "(?:ich (?:muss|werde)|(?:muss|werde) ich) (?:[\\p{L}]+ ){0,3}?(?:ablehnen|verweigern"
                  + "|zurückweisen)"),
          rule(
              "de",
              Family.POLICY,
              0.7,
              "verstößt,verstösst,widerspricht,gegen meine,gegen meinen,"
                  + "gegen unsere,gegen die,gegen den",
              "(?:verstößt|verstösst|widerspricht|gegen) (?:gegen )?(?:meine|meinen|unsere"
                  + "|die|den) (?:[\\p{L}-]+ ){0,2}?(?:richtlinien|grundsätze"
                  + "|nutzungsrichtlinien|inhaltsrichtlinien|programmierung|regeln"
                  + "|nutzungsbedingungen)"),
          rule(
              "de",
              Family.APOLOGY,
              0.35,
              "tut mir,entschuldigung,entschuldigen,leider",
              "(?:tut mir (?:sehr |wirklich |aufrichtig )?leid|entschuldigung|entschuldigen"
                  + " sie|leider,? (?:kann|darf|ist))"),
          rule(
              "de",
              Family.AI_IDENTITY,
              0.45,
              "als ki,als eine,als ein,als künstliche,als sprachmodell",
              "als (?:eine? )?(?:ki|künstliche intelligenz|sprachmodell|ki-sprachmodell"
                  + "|ki-assistent|ki-modell)"),

          // French
          rule(
              "fr",
              Family.DECLINE,
              0.9,
              "je ne",
              "je ne (?:peux|pourrai|pourrais|vais|puis|suis) (?:pas|point)(?: (?:en mesure de"
                  + "|autorisée? à|capable de|malheureusement))? (?:vous |te |t'|l'|y |en |leur"
                  + " |lui )?(?:aider|assister|fournir|répondre|donner|créer|générer|écrire"
                  + "|satisfaire|accéder|partager|divulguer|faire|rédiger|accomplir|traiter"
                  + "|participer|communiquer|proposer|révéler|continuer)"),
          rule(
              "fr",
              Family.DECLINE,
              0.9,
              "je dois,je me,je vais",
              "je (?:dois|me dois de|vais devoir) (?:respectueusement |poliment )?(?:refuser"
                  + "|décliner)"),
          rule(
              "fr",
              Family.POLICY,
              0.7,
              "contraire,contraires,va à,vont à,enfreint,enfreindrait,viole,violerait",
              "(?:contraires?|va à l'encontre|vont à l'encontre|enfreint|enfreindrait|viole"
                  + "|violerait) (?:à |de )?(?:mes|nos|la|les) (?:[\\p{L}-]+ ){0,2}?(?:directives"
                  + "|politiques|politique|règles|principes|lignes directrices|conditions"
                  + " d'utilisation)"),
          rule(
              "fr",
              Family.APOLOGY,
              0.35,
              "je suis,désolé,désolée,malheureusement",
              "(?:je suis (?:vraiment |sincèrement )?désolée?|désolée?,? (?:mais|je)"
                  + "|malheureusement,? je)"),
          rule(
              "fr",
              Family.AI_IDENTITY,
              0.45,
              "en tant",
              "en tant qu(?:e |')(?:ia|intelligence artificielle|modèle de langage"
                  + "|assistante? (?:virtuel|virtuelle|ia|d'ia))"),

          // Spanish
          rule(
              "es",
              Family.DECLINE,
              0.9,
              "no puedo,no podré,no podría,no voy,no me,no estoy,no soy,no tengo",
              "no (?:puedo|podré|podría|voy a|me es posible|estoy en (?:condiciones|posición) de"
                  + "|estoy autorizad[oa] (?:a|para)|soy capaz de|tengo permitido)"
                  + " (?:[\\p{L}]+ )??(?:ayudar(?:te|le|les)?|asistir(?:te|le)?"
                  + "|proporcionar(?:te|le)?|ofrecer(?:te|le)?|cumplir|responder|hacer eso"
                  + "|hacerlo|crear|generar|dar(?:te|le)?|compartir|facilitar(?:te|le)?|escribir"
                  + "|redactar|atender|satisfacer|brindar(?:te|le)?|participar|revelar"
                  + "|continuar)"),
          rule(
              "es",
              Family.DECLINE,
              0.9,
              "debo,tengo que",
              "(?:debo|tengo que) (?:respetuosamente )?(?:rechazar|declinar|negarme)"),
          rule(
              "es",
              Family.POLICY,
              0.7,
              "va en,infringe,infringiría,viola,violaría,contraviene",
              "(?:va en contra de|infringe|infringiría|viola|violaría|contraviene) (?:mis|las"
                  + "|nuestras|la|nuestra) (?:[\\p{L}-]+ ){0,2}?(?:políticas|directrices|normas"
                  + "|política|pautas|principios|reglas)"),
          rule(
              "es",
              Family.APOLOGY,
              0.35,
              "lo siento,lo lamento,disculpa,disculpas,discúlpame,perdón," + "lamentablemente",
              "(?:lo (?:siento|lamento)|disculpa(?:s|me)?,? pero|discúlpame|perdón,? pero"
                  + "|lamentablemente,? no)"),
          rule(
              "es",
              Family.AI_IDENTITY,
              0.45,
              "como un,como una,como um,como uma,como ia,como inteligencia,"
                  + "como inteligência,como modelo,como asistente,como assistente",
              "como (?:una? |um |uma )?(?:ia|inteligencia artificial|inteligência artificial"
                  + "|modelo de lenguaje|modelo de linguagem|asistente (?:de ia|virtual)"
                  + "|assistente (?:de ia|virtual)|modelo de ia)"),

          // Italian
          rule(
              "it",
              Family.DECLINE,
              0.9,
              "non posso,non potrò,non potrei,non sono,non mi",
              "non (?:posso|potrò|potrei|sono in grado di|mi è possibile|sono autorizzat[oa] a"
                  + "|mi è consentito) (?:[\\p{L}]+ )??(?:aiutarti|aiutarla|aiutare|aiutarvi"
                  + "|assisterti|assisterla|fornire|fornirti|fornirle|rispondere|fare|creare"
                  + "|generare|soddisfare|condividere|dare|darti|scrivere|redigere|partecipare"
                  + "|rivelare|procedere|esaudire|continuare)"),
          rule(
              "it",
              Family.DECLINE,
              0.9,
              "devo",
              "devo (?:rispettosamente |gentilmente )?(?:rifiutare|declinare)"),
          rule(
              "it",
              Family.POLICY,
              0.7,
              "va contro,contro,viola,violerebbe,contrario,contraria,contrasto",
              "(?:va contro|contro|viola|violerebbe|contrario a|contraria a|contrasto con)"
                  + " (?:le )?(?:mie|nostre|le) (?:[\\p{L}-]+ ){0,2}?(?:linee guida|politiche"
                  + "|norme|regole|principi)"),
          rule(
              "it",
              Family.APOLOGY,
              0.35,
              "mi dispiace,mi scuso,scusa,scusami,purtroppo",
              "(?:mi dispiace,? (?:ma|non)|mi scuso,? ma|scusa(?:mi)?,? ma|purtroppo,? non)"),
          rule(
              "it",
              Family.AI_IDENTITY,
              0.45,
              "come un,come una,come ia,come intelligenza,come modello," + "come assistente",
              "come (?:un |una |un')?(?:ia|intelligenza artificiale|modello (?:di )?linguistico"
                  + "|assistente (?:virtuale|ia|di ia)|modello di ia)"),

          // Portuguese
          rule(
              "pt",
              Family.DECLINE,
              0.9,
              "não posso,não poderei,não poderia,não consigo,não vou,"
                  + "não sou,não estou,não me,não tenho,nao posso,nao consigo,"
                  + "nao vou",
              "n[ãa]o (?:posso|poderei|poderia|consigo|vou|sou capaz de|estou autorizad[oa] a"
                  + "|me é permitido|tenho permissão para) (?:[\\p{L}]+ )??(?:ajudar"
                  + "|ajudá-l[oa]|ajudar-te|auxiliar|fornecer|responder|fazer isso|criar|gerar"
                  + "|atender|compartilhar|partilhar|cumprir|dar|escrever|redigir|participar"
                  + "|revelar|oferecer|prosseguir|continuar)"),
          rule(
              "pt",
              Family.DECLINE,
              0.9,
              "devo,preciso,tenho que",
              "(?:devo|preciso|tenho que) (?:respeitosamente )?(?:recusar|declinar)"),
          rule(
              "pt",
              Family.POLICY,
              0.7,
              "vai contra,contra,viola,violaria,contraria",
              "(?:vai contra|contra|viola|violaria|contraria) (?:as |a |os )?(?:minhas|nossas"
                  + "|as) (?:[\\p{L}-]+ ){0,2}?(?:diretrizes|políticas|política|normas|regras"
                  + "|princípios)"),
          rule(
              "pt",
              Family.APOLOGY,
              0.35,
              "desculpe,desculpa,lamento,sinto muito,infelizmente",
              "(?:desculpe|desculpa|lamento|sinto muito|infelizmente),? (?:mas|não|nao)"));

  private RefusalRules() {}

  private static Rule rule(
      String language, Family family, double weight, String triggers, String source) {
    return new Rule(
        language,
        family,
        weight,
        List.of(triggers.toLowerCase(Locale.ROOT).split(",")),
        Pattern.compile("(?<![\\p{L}])" + expand(source) + "(?![\\p{L}])", FLAGS));
  }

  /** Turns the rule shorthand into a regex: space means white space, ' means any apostrophe. */
  static String expand(String source) {
    StringBuilder sb = new StringBuilder(source.length() * 2);
    for (int i = 0; i < source.length(); i++) {
      char c = source.charAt(i);
      if (c == ' ') {
        sb.append("\\s+");
      } else if (c == '\'') {
        sb.append("['\u2019\u02BC]");
      } else {
        sb.append(c);
      }
    }
    return sb.toString();
  }
}
