namespace Moderation.Contracts;

/// <summary>The service types of clause 7 of the agreement, as they appear on the wire.</summary>
public static class ServiceTypes
{
    public const string Website = "website";
    public const string App = "app";
    public const string Forum = "forum";
    public const string Comment = "comment";
    public const string Chat = "chat";
    public const string MessageBoard = "message_board";
    public const string Mail = "mail";
    public const string Game = "game";
    public const string Other = "other";

    public static IReadOnlyList<string> All { get; } =
        [Website, App, Forum, Comment, Chat, MessageBoard, Mail, Game, Other];
}
